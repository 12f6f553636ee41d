// Where and as whom DOIs are registered, from the environment: credentials never sit in the repository.
import { DoiError } from './errors.ts';

export interface DataciteConfig {
  /** The REST API without a trailing slash (default https://api.datacite.org; https://api.test.datacite.org to try). */
  apiUrl: string;
  /** The repository (client) id, e.g. `EXAMPLE.BIC`: the user name of HTTP Basic authentication. */
  repositoryId: string;
  password: string;
  /** The DOI prefix assigned to the repository, e.g. `10.80000`. */
  prefix: string;
}

const variables = ['DATACITE_REPOSITORY_ID', 'DATACITE_PASSWORD', 'DATACITE_PREFIX'] as const;

/**
 * The configuration when DATACITE_REPOSITORY_ID, DATACITE_PASSWORD and DATACITE_PREFIX are all set (and
 * DATACITE_API_URL optionally); undefined when none is, so that minting goes on without DOIs. Some but not all is
 * a mistake worth stopping for: DATACITE_CONFIG_INCOMPLETE.
 */
export function dataciteConfigFromEnv(env: NodeJS.ProcessEnv): DataciteConfig | undefined {
  const set = variables.filter((name) => env[name]);
  if (set.length === 0) return undefined;
  if (set.length < variables.length) {
    const missing = variables.filter((name) => !env[name]);
    throw new DoiError('DATACITE_CONFIG_INCOMPLETE', `DOI registration needs ${missing.join(' and ')} as well`);
  }
  if (!/^10\.\d{4,9}$/.test(env.DATACITE_PREFIX!))
    throw new DoiError('DATACITE_CONFIG_INCOMPLETE', `DATACITE_PREFIX '${env.DATACITE_PREFIX}' is not a DOI prefix`);
  const apiUrl = (env.DATACITE_API_URL || 'https://api.datacite.org').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(apiUrl))
    throw new DoiError('DATACITE_CONFIG_INCOMPLETE', `DATACITE_API_URL '${apiUrl}' is not an http(s) URL`);
  return {
    apiUrl,
    repositoryId: env.DATACITE_REPOSITORY_ID!,
    password: env.DATACITE_PASSWORD!,
    prefix: env.DATACITE_PREFIX!,
  };
}
