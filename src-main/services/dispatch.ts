// The single entry every transport goes through: look the operation up in the contract, validate
// the input, run the handler, validate the output, and turn anything thrown into an AppError.
import {
  contract,
  isOperationName,
  type OperationName,
  type OperationOutput,
  type ParsedInput,
} from '../../src-shared/contract';
import { AppError, validationError, type ErrorShape } from '../../src-shared/errors';
import { findBadText } from '../../src-shared/schemas/text';
import type { CallContext, ServiceContext } from './context';

export type Handler<N extends OperationName> = (
  input: ParsedInput<N>,
  call: CallContext,
) => OperationOutput<N> | Promise<OperationOutput<N>>;

export type Handlers = { [N in OperationName]: Handler<N> };

export type Outcome = { ok: true; result: unknown } | { ok: false; error: ErrorShape };

export interface Dispatcher {
  (name: unknown, input: unknown, call?: CallContext): Promise<Outcome>;
}

export function createDispatcher(
  handlers: Handlers,
  services: Pick<ServiceContext, 'events'> & {
    log?: (message: string, error: unknown) => void;
    afterMutation?: (name: string) => void;
    /** After every operation that succeeded (its checked input and output): never fails the call. */
    afterCall?: (name: OperationName, input: unknown, result: unknown, call: CallContext) => void;
  },
): Dispatcher {
  return async (name, rawInput, call = { operatorId: null }) => {
    if (!isOperationName(name)) {
      return {
        ok: false,
        error: new AppError('UNKNOWN_OPERATION', `Unknown operation`, { name: String(name).slice(0, 100) }).toJSON(),
      };
    }
    const spec = contract[name];
    // Before any schema: no string anywhere in the input (a field, a key, one the schema would drop)
    // may hold a NUL, another control character or half a surrogate pair.
    const bad = findBadText(rawInput);
    if (bad)
      return {
        ok: false,
        error: new AppError('VALIDATION', 'Input holds characters that are not allowed', {
          fields: [{ path: bad.path, code: bad.problem, message: bad.problem }],
        }).toJSON(),
      };
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) return { ok: false, error: validationError(parsed.error).toJSON() };
    try {
      const handler = handlers[name] as (input: unknown, call: CallContext) => unknown;
      const result = await handler(parsed.data, call);
      const checked = spec.output.safeParse(result);
      if (!checked.success) {
        // A handler broke its own contract: a bug, reported as INTERNAL, never passed on half-formed.
        services.log?.(`output of ${name} failed its schema`, checked.error);
        return { ok: false, error: new AppError('INTERNAL', `Output of ${name} failed its schema`).toJSON() };
      }
      try {
        services.afterCall?.(name, parsed.data, checked.data, call);
      } catch (error) {
        services.log?.(`after ${name}`, error);
      }
      if (spec.mutation) services.afterMutation?.(name);
      return { ok: true, result: checked.data };
    } catch (error) {
      const appError = AppError.from(error);
      if (appError.code === 'INTERNAL') services.log?.(`${name} failed`, error);
      return { ok: false, error: appError.toJSON() };
    }
  };
}
