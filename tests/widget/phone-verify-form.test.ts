import { expect } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import '../../widget/define.js'
import type { PhoneVerify } from '../../widget/index.js'
import { CODE, FakeApi, provider } from './fake-api.js'
import {
  $,
  buttonByText,
  errorText,
  has,
  press,
  record,
  type,
  waitFor,
  waitUntil,
} from './helpers.js'

/** A page's form as in demo/form.html: a name, the phone, a submit button. */
async function mountForm(phoneAttrs = '') {
  const api = new FakeApi()
  const parentNode = provider(api)
  parentNode.innerHTML = `<form>
    <label for="fullname">Your name</label><input id="fullname" name="name" value="Ravi" />
    <phone-verify name="phone" ${phoneAttrs}></phone-verify>
    <button id="book">Book delivery</button>
  </form>`
  const form = parentNode.querySelector('form')!
  const el = parentNode.querySelector('phone-verify') as PhoneVerify
  const posted: FormData[] = []
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    posted.push(new FormData(form))
  })
  await el.ready
  await el.phone.ready
  return { el, api, form, posted }
}

/** Submits as a visitor does: the focus on the page's button, then Enter. */
async function submitByKeyboard(form: HTMLFormElement) {
  form.querySelector<HTMLButtonElement>('#book')!.focus()
  await press('Enter')
}

const focused = (el: PhoneVerify) => el.shadowRoot!.activeElement as HTMLElement | null

async function verify(el: PhoneVerify, digits = '98765 43210') {
  await type(el, '#phone', digits)
  await press('Enter')
  await waitFor(el, '#code')
  await waitUntil(() => focused(el)?.id === 'code')
  await sendKeys({ type: CODE })
  await waitUntil(() => el.view === 'verified')
}

describe('<phone-verify> in a page form', () => {
  // The validation metadata is a large lazy chunk: fetched once here, not inside a test's waits.
  before(() => import('libphonenumber-js/mobile'))

  it('blocks the submit until verified, says why inside the element, then posts the E.164 number', async () => {
    const { el, form, posted } = await mountForm()
    const errors = record<{ code: string; message: string }>(el, 'sms-auth-error')
    expect(el.form).to.equal(form)
    expect(el.willValidate).to.equal(true)
    expect(el.validity.valueMissing).to.equal(true)
    expect(el.validationMessage).to.equal('Verify your phone number first.')

    await submitByKeyboard(form)
    expect(posted).to.have.length(0)
    await waitUntil(() => errorText(el) === 'Verify your phone number first.')
    const line = $(el, '[part~="error"]')
    expect(line.getAttribute('role')).to.equal('alert')
    expect(line.getBoundingClientRect().height).to.be.greaterThan(10)
    expect(errors.map((e) => e.detail.message)).to.deep.equal(['Verify your phone number first.'])
    await expect(el).to.be.accessible()

    // A number typed but not verified is still refused, as a custom error rather than a missing value.
    await type(el, '#phone', '98765 43210')
    await el.updateComplete
    expect(el.validity.valueMissing).to.equal(false)
    expect(el.validity.customError).to.equal(true)
    expect(el.checkValidity()).to.equal(false)
    await submitByKeyboard(form)
    expect(posted).to.have.length(0)

    $<HTMLInputElement>(el, '#phone').focus()
    await press('Enter')
    await waitFor(el, '#code')
    await waitUntil(() => focused(el)?.id === 'code')
    await sendKeys({ type: CODE })
    await waitUntil(() => el.validity.valid)
    expect(el.value).to.equal('+919876543210')
    expect(errorText(el)).to.equal('')

    await submitByKeyboard(form)
    expect(posted).to.have.length(1)
    expect(posted[0].get('phone')).to.equal('+919876543210')
    expect(posted[0].get('name')).to.equal('Ravi')
  })

  it('keeps showing the verified number with its mark and a "Change phone" that has the focus', async () => {
    const { el } = await mountForm()
    await verify(el)
    const box = $(el, '[part~="verified"]')
    expect($(el, '[part~="number"]').textContent).to.equal('+919876543210')
    expect($(el, '[part~="number"]').getAttribute('dir')).to.equal('ltr')
    expect($(el, '[part~="verified-mark"]').textContent).to.contain('Verified')
    expect(box.getBoundingClientRect().height).to.be.greaterThan(10)
    expect($(el, '[role="status"]').textContent).to.contain('+919876543210 is verified.')
    await waitUntil(() => focused(el)?.textContent?.trim() === 'Change phone')
    expect(has(el, '#code')).to.equal(false)
    expect($(el, '#phone').offsetParent).to.equal(null) // the field is put away, not shown empty
    await expect(el).to.be.accessible()
  })

  it('"Change phone" goes back to the number as typed; Cancel keeps it; an edit unverifies it', async () => {
    const { el, form } = await mountForm()
    await verify(el)
    await waitUntil(() => focused(el)?.textContent?.trim() === 'Change phone')
    await press('Enter')
    const input = $<HTMLInputElement>(el, '#phone')
    await waitUntil(() => focused(el) === input, 'focus in the phone field')
    expect(input.value.replace(/\D/g, '')).to.equal('9876543210')
    expect(el.value).to.equal('+919876543210') // nothing changed yet
    buttonByText(el, 'Cancel').click()
    await waitFor(el, '[part~="verified"]')

    buttonByText(el, 'Change phone').click()
    await waitUntil(() => focused(el) === input)
    await sendKeys({ press: 'Backspace' })
    await el.updateComplete
    expect(el.value).to.equal('')
    expect(form.checkValidity()).to.equal(false)
    expect(new FormData(form).get('phone')).to.equal(null)
    expect(() => buttonByText(el, 'Cancel')).to.throw()
  })

  it('`required` reflects by default and turns off; off, an empty field submits empty', async () => {
    const { el, form, posted } = await mountForm('required="false"')
    expect(el.required).to.equal(false)
    expect(el.hasAttribute('required')).to.equal(false)
    expect(el.validity.valid).to.equal(true)
    expect($(el, '#phone').getAttribute('aria-required')).to.equal('false')
    await submitByKeyboard(form)
    expect(posted).to.have.length(1)
    expect(posted[0].get('phone')).to.equal('')
    expect(errorText(el)).to.equal('')

    // Even when optional, a number typed but not verified is never dropped silently.
    await type(el, '#phone', '98765')
    await el.updateComplete
    expect(el.checkValidity()).to.equal(false)

    el.required = true
    await el.updateComplete
    expect(el.getAttribute('required')).to.equal('')
    el.removeAttribute('required')
    await el.updateComplete
    expect(el.required).to.equal(false)

    const plain = await mountForm()
    expect(plain.el.required).to.equal(true)
    expect(plain.el.hasAttribute('required')).to.equal(true)
    expect(plain.el.checkValidity()).to.equal(false)
    expect($(plain.el, '#phone').getAttribute('aria-required')).to.equal('true')
  })

  it('reportValidity() shows the message in the element; a form reset forgets the number', async () => {
    const { el, form } = await mountForm()
    expect(el.reportValidity()).to.equal(false)
    await waitUntil(() => /Verify your phone number first/.test(errorText(el)))
    await verify(el)
    expect(el.reportValidity()).to.equal(true)
    form.reset()
    await el.updateComplete
    expect(el.value).to.equal('')
    expect($<HTMLInputElement>(el, '#phone').value).to.equal('')
    expect($<HTMLInputElement>(el, '#phone').offsetParent).to.not.equal(null)
    expect(el.checkValidity()).to.equal(false)
  })
})
