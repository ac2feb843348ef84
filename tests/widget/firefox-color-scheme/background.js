// Sets the colour scheme pages see (browserSettings.overrideContentColorScheme: "light", "dark";
// "none" clears the override, back to the system's).
browser.runtime.onMessage.addListener(async (message) => {
  const setting = browser.browserSettings.overrideContentColorScheme
  if (message?.colorScheme === 'none') await setting.clear({})
  else await setting.set({ value: message.colorScheme })
  return true
})
