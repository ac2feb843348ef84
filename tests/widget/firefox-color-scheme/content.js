// The test page asks by window.postMessage; the answer comes back the same way once it is set.
window.addEventListener('message', (event) => {
  const data = event.data
  if (event.source !== window || data?.type !== 'sms-auth-test:color-scheme') return
  const reply = (extra) =>
    window.postMessage({ type: 'sms-auth-test:color-scheme-set', ...extra }, '*')
  browser.runtime.sendMessage({ colorScheme: data.value }).then(
    () => reply({}),
    (error) => reply({ error: String(error) }),
  )
})
