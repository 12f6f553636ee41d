// The storage commands (manifest, upload, mirror) show storage errors as messages, never stack traces:
// a missing credential variable, a broken mirrors.yaml or a mirror that does not answer is exit code 2.
import { StorageError } from '../storage/errors.ts';
import { EnvironmentError, type ArgsDef, type CommandDef } from './command.ts';

export function withStorageErrors<A extends ArgsDef>(run: CommandDef<A>['run']): CommandDef<A>['run'] {
  return async (input, context) => {
    try {
      return await run(input, context);
    } catch (error) {
      if (error instanceof StorageError) throw new EnvironmentError(error.code, error.message, { cause: error });
      throw error;
    }
  };
}
