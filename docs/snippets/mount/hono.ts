// Your Hono app with sms-auth's API under /auth:
//   const auth = await createSmsAuth({ db, secret, adminToken, publicUrl: 'https://shop.example/auth' })
//   export default shopApp(auth)   (or serve(shopApp(auth)) with @hono/node-server)
import { Hono } from 'hono'
import type { SmsAuth } from 'sms-auth/edge'

export function shopApp(auth: SmsAuth): Hono {
  const app = new Hono()
  app.get('/', (c) => c.text('shop home'))
  app.get('/api/cart', (c) => c.json({ items: 2 }))
  app.route('/auth', auth.app)
  return app
}
