// The "Angular" snippet of demo/embed.html in a page (the test serves ORIGIN as the edge and loads
// ORIGIN/widget.js before this bundle). Compiled in the browser (JIT) and without zone.js.
import '@angular/compiler'
import { provideZonelessChangeDetection } from '@angular/core'
import { bootstrapApplication } from '@angular/platform-browser'
// snippet:start
import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core'

@Component({
  selector: 'app-sign-in',
  standalone: true,
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `<sms-login
      api="ORIGIN"
      password
      (sms-auth-login)="signedIn($event)"
      (sms-auth-register)="signedIn($event)"
    ></sms-login>
    <p id="signed-in">{{ signedInAs() }}</p>`,
})
export class SignInComponent {
  signedInAs = signal('')

  signedIn(e: Event) {
    const { user, session } = (e as CustomEvent).detail
    // Send session.accessToken to your backend
    this.signedInAs.set(`Signed in: ${user.name}`)
  }
}
// snippet:end

bootstrapApplication(SignInComponent, { providers: [provideZonelessChangeDetection()] }).catch(
  (error: unknown) => {
    document.body.dataset.error = String(error)
  },
)
