// Your Express 5 app with sms-auth's API under /auth:
//   const auth = await createSmsAuth({ db, secret, adminToken, publicUrl: 'https://shop.example/auth' })
//   shopApp(auth).listen(3000)
import { getRequestListener } from '@hono/node-server'
import express from 'express'
import type { SmsAuth } from 'sms-auth/edge'

export function shopApp(auth: SmsAuth): express.Express {
  const app = express()
  const listener = getRequestListener(auth.fetch)
  app.get('/api/cart', (_req, res) => {
    res.json({ items: 2 })
  })
  // Express strips the mount path from req.url; the API wants the whole path. No body parser in
  // front of it: the API reads the body itself.
  app.use('/auth', (req, res) => {
    req.url = req.originalUrl
    void listener(req, res)
  })
  app.get('/', (_req, res) => {
    res.send('shop home')
  })
  return app
}
