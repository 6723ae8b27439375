/** A mock whose every method throws unless the test stubs it: an unexpected call fails loudly. */
export function strictMock<T extends object>(
  stubs: Partial<Record<keyof T, jest.Mock>> = {},
): jest.Mocked<T> {
  return new Proxy(stubs as jest.Mocked<T>, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof T];
      if (prop === 'then') return undefined;
      return () => {
        throw new Error(`unstubbed call: ${String(prop)}`);
      };
    },
  });
}
