export * from './errors.js'
export * from './phone.js'
export * from './schemas.js'
