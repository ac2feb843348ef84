// The "React" snippet of demo/embed.html in a page (the test serves ORIGIN as the edge and loads
// ORIGIN/widget.js before this bundle).
import { useState } from 'react'
import { createRoot } from 'react-dom/client'
import type { SignedInDetail } from '../../../widget/index.js'

// The elements' JSX types, as sms-auth/react declares them for React 19.
import type {} from '../../../widget/react/jsx.js'

// snippet:start
export function SignIn({ onSignedIn }: { onSignedIn: (detail: SignedInDetail) => void }) {
  return (
    <sms-login
      api="ORIGIN"
      password
      onsms-auth-login={(e) => onSignedIn(e.detail)}
      onsms-auth-register={(e) => onSignedIn(e.detail)}
    />
  )
}
// snippet:end

function Page() {
  const [name, setName] = useState('')
  return (
    <>
      <SignIn onSignedIn={({ user }) => setName(user.name)} />
      <p id="signed-in">{name && `Signed in: ${name}`}</p>
    </>
  )
}

createRoot(document.getElementById('app')!).render(<Page />)
