import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../../helpers/ws-client';
import { decode, encode, openSimulatorState, type Persistable } from '../../../src/sandbox/shared/persistence';

/** A stand-in piece: a counter plus a date, restored wholesale. */
class Counter implements Persistable {
  value = 0;
  at: Date | null = null;
  failOn: number | null = null;
  snapshot() {
    return { value: this.value, at: this.at };
  }
  restore(data: unknown) {
    const saved = data as { value: number; at: Date | null };
    if (saved.value === this.failOn) throw new Error('cannot restore');
    this.value = saved.value;
    this.at = saved.at;
  }
}

describe('sandbox state files', () => {
  let dir: string;
  const file = () => path.join(dir, 'sandbox', 'demo.json');
  const onDisk = () => decode(fs.readFileSync(file(), 'utf8')) as { parts: Record<string, { value: number }> };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps Dates as Dates and leaves date-like user text a string', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const back = decode(encode({ at, reference: at.toISOString(), nested: [{ at }] })) as any;
    expect(back.at).toEqual(at);
    expect(back.at).toBeInstanceOf(Date);
    expect(back.reference).toBe('2026-01-02T03:04:05.678Z');
    expect(back.nested[0].at).toBeInstanceOf(Date);
  });

  it('writes nothing without a state dir', () => {
    const store = openSimulatorState(undefined, 'demo', { counter: new Counter() });
    store.changed();
    store.close();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('saves shortly after a change without waiting for close, and restores it in a new simulator', async () => {
    const first = new Counter();
    const store = openSimulatorState(dir, 'demo', { counter: first });
    first.value = 7;
    first.at = new Date('2026-05-01T00:00:00.000Z');
    store.changed();
    await waitFor(() => fs.existsSync(file()) && onDisk().parts.counter.value === 7, 2000);
    store.close();

    const second = new Counter();
    openSimulatorState(dir, 'demo', { counter: second }).close();
    expect(second.value).toBe(7);
    expect(second.at).toEqual(new Date('2026-05-01T00:00:00.000Z'));
  });

  it('writes pending changes synchronously on close, and nothing after it', () => {
    const counter = new Counter();
    const store = openSimulatorState(dir, 'demo', { counter });
    counter.value = 3;
    store.changed();
    store.close();
    expect(onDisk().parts.counter.value).toBe(3);
    counter.value = 4;
    store.changed();
    store.close();
    expect(onDisk().parts.counter.value).toBe(3);
    expect(fs.readdirSync(path.join(dir, 'sandbox'))).toEqual(['demo.json']);
  });

  it('warns instead of throwing from close when the state dir is gone', () => {
    const counter = new Counter();
    const store = openSimulatorState(dir, 'demo', { counter });
    fs.rmSync(dir, { recursive: true, force: true });
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      store.changed();
      expect(() => store.close()).not.toThrow();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('not saved'), { code: 'SANDBOX_STATE' });
    } finally {
      warn.mockRestore();
    }
  });

  it('sets an unreadable file aside, warns, and starts fresh', () => {
    fs.mkdirSync(path.join(dir, 'sandbox'));
    fs.writeFileSync(file(), '{"version":1,"parts":{"counter":{"val');
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const counter = new Counter();
      openSimulatorState(dir, 'demo', { counter }).close();
      expect(counter.value).toBe(0);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('not restored'), { code: 'SANDBOX_STATE' });
      const names = fs.readdirSync(path.join(dir, 'sandbox'));
      expect(names.some((n) => /^demo\.json\.corrupt-\d+$/.test(n))).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });

  it('undoes a restore that fails half-way: every piece starts fresh', () => {
    const store = openSimulatorState(dir, 'demo', {
      a: Object.assign(new Counter(), { value: 5 }),
      b: Object.assign(new Counter(), { value: 1 }),
    });
    store.changed();
    store.close();
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const a = new Counter();
      const b = Object.assign(new Counter(), { failOn: 1 });
      openSimulatorState(dir, 'demo', { a, b }).close();
      expect([a.value, b.value]).toEqual([0, 0]);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('sets aside a file of another format version instead of misreading it', () => {
    fs.mkdirSync(path.join(dir, 'sandbox'));
    fs.writeFileSync(file(), JSON.stringify({ version: 99, parts: { counter: { value: 9, at: null } } }));
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const counter = new Counter();
      openSimulatorState(dir, 'demo', { counter }).close();
      expect(counter.value).toBe(0);
      expect(warn).toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
