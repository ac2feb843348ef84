import { useState } from 'react'
import { getAccessToken, signOut } from 'sms-auth/client'
import { SmsLogin, useSession } from 'sms-auth/react'

export function App() {
  // The session the widget keeps (sessionStorage by default): still there after a reload.
  const session = useSession()
  const [backend, setBackend] = useState('')

  if (!session)
    return (
      <SmsLogin
        onLogin={(e) => console.info('Welcome back', e.detail.user.name)}
        onRegister={(e) => console.info('Welcome', e.detail.user.name)}
      />
    )

  async function askBackend() {
    // A fresh access token (refreshed first if it is about to expire) for your own API.
    const token = await getAccessToken()
    const res = await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } })
    setBackend(
      res.ok ? `Your backend knows you as ${(await res.json()).sub}` : `HTTP ${res.status}`,
    )
  }

  return (
    <main>
      <p>Signed in as {session.user.name}</p>
      <button onClick={askBackend}>Ask the backend</button>
      <button onClick={() => signOut()}>Sign out</button>
      <p role="status">{backend}</p>
    </main>
  )
}
