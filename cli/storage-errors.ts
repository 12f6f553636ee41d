// The storage commands (manifest, upload, mirror) show storage errors as messages, never stack traces:
// a missing credential variable, a broken mirrors.yaml or a mirror that does not answer is exit code 2.
import { StorageError } from '../storage/errors.ts';
import { EnvironmentError, type Command } from './command.ts';

export function withStorageErrors(run: Command['run']): Command['run'] {
  return async (args, context) => {
    try {
      return await run(args, context);
    } catch (error) {
      if (error instanceof StorageError) throw new EnvironmentError(error.code, error.message, { cause: error });
      throw error;
    }
  };
}
