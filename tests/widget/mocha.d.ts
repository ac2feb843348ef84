// Mocha globals as @web/test-runner provides them (@types/mocha is not installed).
type Done = (err?: unknown) => void
type Fn = (this: unknown, done: Done) => void | Promise<unknown>
type AsyncFn = (this: unknown) => void | Promise<unknown>
declare function describe(title: string, fn: () => void): void
declare function it(title: string, fn: AsyncFn | Fn): void
declare function before(fn: AsyncFn): void
declare function after(fn: AsyncFn): void
declare function beforeEach(fn: AsyncFn): void
declare function afterEach(fn: AsyncFn): void
