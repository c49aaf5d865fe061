/**
 * A safe reader for Python pickles (protocols 2 to 5, the binary opcodes). It never runs pickled code:
 * every GLOBAL goes through the caller's `findGlobal`, which either returns a stand-in value or throws,
 * and REDUCE calls only `PickleFunction`s that `findGlobal` returned. Python values come back as:
 * None → null, bool, int → number (bigint when too large), float → number, str → string,
 * bytes → Uint8Array, list/tuple/set → array, dict → Map.
 */
import { PickleBytes } from './pickle-bytes.js';

/** A Python callable the caller allows, for REDUCE to call with its unpickled arguments. */
export class PickleFunction {
  constructor(readonly name: string, readonly call: (args: unknown[]) => unknown) {}
}

/**
 * Any other Python global. An object of it may be made (NEWOBJ) as an inert `PickleObject` that holds the
 * attributes BUILD gives it, since no code of the class runs that way: this is how `torch.save(model)` writes a
 * whole nn.Module. Calling it (REDUCE) would run its code in Python, so that throws `refusal()` instead.
 */
export class PickleClass {
  constructor(readonly name: string, readonly refusal: () => Error) {}
}

/** An object of a `PickleClass`: its class's name and the state BUILD set (the object's `__dict__`, a Map). */
export class PickleObject {
  state: unknown = null;
  constructor(readonly className: string) {}
}

export interface UnpickleOptions {
  /** The file, for error messages. */
  path: string;
  /** Where the pickle starts in `bytes` (files of the legacy format hold several pickles in a row). */
  start?: number;
  /** The stand-in for Python's `module.name`; throws for globals the caller refuses. */
  findGlobal(module: string, name: string): unknown;
  /** Resolves BINPERSID ids (torch.save refers to tensor storages this way). */
  persistentLoad?(id: unknown): unknown;
}

/** Opcodes by their byte, as named in Python's pickletools. */
const OP = {
  MARK: 0x28, STOP: 0x2e, POP: 0x30, POP_MARK: 0x31, DUP: 0x32, BINFLOAT: 0x47, BININT: 0x4a, BININT1: 0x4b,
  BININT2: 0x4d, NONE: 0x4e, BINPERSID: 0x51, REDUCE: 0x52, BINSTRING: 0x54, SHORT_BINSTRING: 0x55, BINUNICODE: 0x58,
  BINBYTES: 0x42, SHORT_BINBYTES: 0x43, EMPTY_LIST: 0x5d, APPEND: 0x61, BUILD: 0x62, GLOBAL: 0x63, DICT: 0x64,
  APPENDS: 0x65, BINGET: 0x68, LONG_BINGET: 0x6a, LIST: 0x6c, BINPUT: 0x71, LONG_BINPUT: 0x72, SETITEM: 0x73,
  TUPLE: 0x74, SETITEMS: 0x75, EMPTY_DICT: 0x7d, EMPTY_TUPLE: 0x29, PROTO: 0x80, TUPLE1: 0x85, TUPLE2: 0x86,
  TUPLE3: 0x87, NEWTRUE: 0x88, NEWFALSE: 0x89, LONG1: 0x8a, LONG4: 0x8b, SHORT_BINUNICODE: 0x8c, BINUNICODE8: 0x8d,
  BINBYTES8: 0x8e, EMPTY_SET: 0x8f, ADDITEMS: 0x90, FROZENSET: 0x91, STACK_GLOBAL: 0x93, MEMOIZE: 0x94, FRAME: 0x95,
  BYTEARRAY8: 0x96, NEWOBJ: 0x81, NEWOBJ_EX: 0x92,
} as const;

/** Unpickle one value; `end` is the position just after its STOP opcode. */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): { value: unknown; end: number } {
  const input = new PickleBytes(bytes, options.path, options.start ?? 0);
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();
  let at = 0; // where the current opcode starts, for error messages

  const pop = (): unknown => {
    if (stack.length === 0) throw input.damaged('an opcode found the stack empty', at);
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw input.damaged('an opcode found the stack empty', at);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const previous = marks.pop();
    if (previous === undefined) throw input.damaged('an opcode needs a MARK that is missing', at);
    stack = previous;
    return items;
  };
  const get = (index: number): unknown => {
    if (!memo.has(index)) throw input.damaged(`memo entry ${index} is read before it is written`, at);
    return memo.get(index);
  };
  const list = (target: unknown): unknown[] => {
    if (!Array.isArray(target)) throw input.damaged('APPEND to something that is not a list', at);
    return target;
  };
  const setItems = (target: unknown, items: unknown[]): void => {
    if (!(target instanceof Map)) throw input.damaged('SETITEM on something that is not a dict', at);
    if (items.length % 2 !== 0) throw input.damaged('SETITEMS with an odd number of keys and values', at);
    for (let i = 0; i < items.length; i += 2) target.set(items[i], items[i + 1]);
  };

  for (;;) {
    at = input.pos;
    const code = input.u8();
    switch (code) {
      case OP.PROTO: {
        const protocol = input.u8();
        if (protocol > 5) throw input.damaged(`pickle protocol ${protocol} (this reader knows 2 to 5)`, at);
        break;
      }
      case OP.FRAME: input.u64(); break; // frames only help streaming readers: the whole pickle is in memory
      case OP.STOP: return { value: pop(), end: input.pos };
      case OP.MARK: marks.push(stack); stack = []; break;
      case OP.POP: pop(); break;
      case OP.POP_MARK: popMark(); break;
      case OP.DUP: stack.push(top()); break;
      case OP.NONE: stack.push(null); break;
      case OP.NEWTRUE: stack.push(true); break;
      case OP.NEWFALSE: stack.push(false); break;
      case OP.BININT: stack.push(input.i32()); break;
      case OP.BININT1: stack.push(input.u8()); break;
      case OP.BININT2: stack.push(input.u16()); break;
      case OP.LONG1: stack.push(input.long(input.u8())); break;
      case OP.LONG4: stack.push(input.long(input.i32())); break;
      case OP.BINFLOAT: stack.push(input.f64()); break;
      case OP.SHORT_BINUNICODE: stack.push(input.utf8(input.u8())); break;
      case OP.BINUNICODE: stack.push(input.utf8(input.u32())); break;
      case OP.BINUNICODE8: stack.push(input.utf8(input.u64())); break;
      case OP.SHORT_BINSTRING: stack.push(input.latin1(input.u8())); break;
      case OP.BINSTRING: stack.push(input.latin1(input.i32())); break;
      // Copies into plain Uint8Arrays (a Buffer's slice() would be a view of the file).
      case OP.SHORT_BINBYTES: stack.push(new Uint8Array(input.bytes(input.u8()))); break;
      case OP.BINBYTES: stack.push(new Uint8Array(input.bytes(input.u32()))); break;
      case OP.BINBYTES8:
      case OP.BYTEARRAY8: stack.push(new Uint8Array(input.bytes(input.u64()))); break;
      case OP.EMPTY_LIST:
      case OP.EMPTY_TUPLE:
      case OP.EMPTY_SET: stack.push([]); break;
      case OP.EMPTY_DICT: stack.push(new Map()); break;
      case OP.LIST:
      case OP.TUPLE:
      case OP.FROZENSET: { const items = popMark(); stack.push(items); break; } // popMark replaces `stack`: call it first
      case OP.TUPLE1: stack.push([pop()]); break;
      case OP.TUPLE2: { const b = pop(); stack.push([pop(), b]); break; }
      case OP.TUPLE3: { const c = pop(); const b = pop(); stack.push([pop(), b, c]); break; }
      case OP.DICT: { const map = new Map(); setItems(map, popMark()); stack.push(map); break; }
      case OP.APPEND: { const item = pop(); list(top()).push(item); break; }
      case OP.APPENDS:
      case OP.ADDITEMS: { const items = popMark(); const target = list(top()); for (const item of items) target.push(item); break; }
      case OP.SETITEM: { const value = pop(); const key = pop(); setItems(top(), [key, value]); break; }
      case OP.SETITEMS: { const items = popMark(); setItems(top(), items); break; }
      case OP.BINPUT: memo.set(input.u8(), top()); break;
      case OP.LONG_BINPUT: memo.set(input.u32(), top()); break;
      case OP.MEMOIZE: memo.set(memo.size, top()); break;
      case OP.BINGET: stack.push(get(input.u8())); break;
      case OP.LONG_BINGET: stack.push(get(input.u32())); break;
      case OP.GLOBAL: { const module = input.line(); stack.push(options.findGlobal(module, input.line())); break; }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw input.damaged('STACK_GLOBAL without two strings', at);
        stack.push(options.findGlobal(module, name));
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        const callable = pop();
        if (callable instanceof PickleClass) throw callable.refusal();
        if (!(callable instanceof PickleFunction)) throw input.damaged('REDUCE calls something that is not an allowed function', at);
        if (!Array.isArray(args)) throw input.damaged(`REDUCE calls ${callable.name} without an argument tuple`, at);
        stack.push(callable.call(args));
        break;
      }
      case OP.NEWOBJ:
      case OP.NEWOBJ_EX: {
        if (code === OP.NEWOBJ_EX) pop(); // keyword arguments of __new__, which an inert object does not need
        pop(); // positional arguments of __new__, likewise
        const type = pop();
        if (!(type instanceof PickleClass)) throw input.damaged('NEWOBJ makes an object of something that is not a class', at);
        stack.push(new PickleObject(type.name));
        break;
      }
      case OP.BUILD: {
        const state = pop();
        const target = top();
        // (__dict__, slots) when the class has __slots__; an OrderedDict's state (state_dict()'s `_metadata`) carries no tensors.
        if (target instanceof PickleObject) target.state = Array.isArray(state) && state.length === 2 ? state[0] : state;
        else if (!(target instanceof Map)) throw input.damaged('BUILD sets the state of an object this reader does not build', at);
        break;
      }
      case OP.BINPERSID: {
        if (options.persistentLoad === undefined) throw input.damaged('a persistent id, which this file should not hold', at);
        stack.push(options.persistentLoad(pop()));
        break;
      }
      default:
        throw input.damaged(`opcode 0x${code.toString(16).padStart(2, '0')}, which this reader does not support`, at);
    }
  }
}
