// The providers of API.md as the Integrations tab shows them, in the order a site owner meets
// them: credential fields, documented origin, and for those configured with a bare receipt URL
// (they sign nothing), where in their portal it goes (`receipts`).
export const PROVIDERS = {
  twilio: {
    title: 'Twilio',
    origin: 'https://api.twilio.com',
    fields: [
      {
        key: 'accountSid',
        label: 'Account SID',
        required: true,
        pattern: '^AC[0-9a-fA-F]{32}$',
        help: 'AC followed by 32 hex digits.',
      },
      { key: 'authToken', label: 'Auth token', required: true, secret: true },
      {
        key: 'from',
        label: 'From',
        required: true,
        help: 'An E.164 number, a Messaging Service SID (MG…) or a sender id.',
      },
    ],
  },
  clickatell: {
    title: 'Clickatell',
    origin: 'https://platform.clickatell.com',
    receipts: 'Paste it as the status callback URL of your integration in the Clickatell portal.',
    fields: [
      { key: 'apiKey', label: 'API key', required: true, secret: true },
      {
        key: 'twoWayNumber',
        label: 'Two-way number',
        help: 'Optional; international format such as +15551234567.',
      },
    ],
  },
  twofactor: {
    title: '2Factor.in',
    origin: 'https://2factor.in',
    fields: [
      { key: 'apiKey', label: 'API key', required: true, secret: true },
      {
        key: 'senderId',
        label: 'Sender id',
        help: 'Optional; your DLT sender id (up to 11 characters).',
      },
      {
        key: 'templateName',
        label: 'Template name',
        help: 'Optional; your approved DLT template.',
      },
    ],
  },
  smstools: {
    title: 'Smstools',
    origin: 'https://api.smsgatewayapi.com',
    receipts: 'Register it as a POST webhook for delivery_report in your Smstools account.',
    fields: [
      { key: 'clientId', label: 'Client id', required: true },
      { key: 'clientSecret', label: 'Client secret', required: true, secret: true },
      { key: 'sender', label: 'Sender', required: true, help: 'Up to 15 characters.' },
    ],
  },
  console: { title: 'Console (development)', origin: null, fields: [] },
}
