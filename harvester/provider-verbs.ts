// The provider's side of an OAI-PMH 2.0 request: the arguments each verb takes (§4), checked before anything is
// looked up, and read into the protocol's typed request (protocol.ts's OaiRequest), so that the verbs that answer
// it never see an argument the spec does not allow.
import { isCalendarDate } from '../catalog/dates.ts';
import { HarvestError } from './errors.ts';
import type { ListArguments, Verb } from './protocol.ts';

/** The arguments of a request as received: each name with every value sent for it, in the order sent. */
export type Args = Map<string, string[]>;

/**
 * An OAI-PMH error the provider answers with in `<error code="...">` (§3.6): `code` in the spec's spelling
 * (badVerb, badArgument, badResumptionToken, cannotDisseminateFormat, idDoesNotExist, noRecordsMatch,
 * noSetHierarchy), the message says which argument or value was wrong.
 */
export class OaiRequestError extends HarvestError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'OaiRequestError';
  }
}

export type ListVerb = 'ListIdentifiers' | 'ListRecords';
type ResumableVerb = ListVerb | 'ListSets';

/**
 * A request as the provider reads it: protocol.ts's OaiRequest with the resumed form of each verb apart, so that
 * a switch on the verb narrows to the arguments that verb can have.
 */
export type ProviderRequest =
  | { verb: 'Identify' }
  | { verb: 'ListMetadataFormats'; identifier?: string }
  | { verb: 'ListSets' }
  | { verb: 'GetRecord'; identifier: string; metadataPrefix: string }
  | ({ verb: ListVerb } & ListArguments)
  | Resumed<ResumableVerb>;

/** §3.5: with a resumptionToken, a request has the verb and nothing else. One member per verb. */
type Resumed<V extends ResumableVerb> = V extends unknown ? { verb: V; resumptionToken: string } : never;

interface VerbSchema {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** §3.5: the verb takes a resumptionToken, an exclusive argument: with it, nothing but the verb. */
  readonly resumable: boolean;
}

/** §4.1 to §4.6: the arguments of each verb. */
export const verbSchemas: Readonly<Record<Verb, VerbSchema>> = {
  Identify: { required: [], optional: [], resumable: false },
  ListMetadataFormats: { required: [], optional: ['identifier'], resumable: false },
  ListSets: { required: [], optional: [], resumable: true },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [], resumable: false },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], resumable: true },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], resumable: true },
};

const isVerb = (value: string): value is Verb => Object.hasOwn(verbSchemas, value);
const isResumable = (verb: Verb): verb is ResumableVerb => verbSchemas[verb].resumable;

/** Parses a query string or form body into repeated-argument-aware lists (a repeated argument is badArgument). */
export function parseArgs(query: string): Args {
  const args: Args = new Map();
  for (const [key, value] of new URLSearchParams(query)) {
    const list = args.get(key) ?? [];
    list.push(value);
    args.set(key, list);
  }
  return args;
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const secondPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A UTC date at day or second granularity that names a real day and time (§3.3: "UTCdatetime"). */
function isUtcDate(value: string): boolean {
  if (!dayPattern.test(value) && !secondPattern.test(value)) return false;
  if (!isCalendarDate(value.slice(0, 10))) return false;
  if (value.length === 10) return true;
  const [h, m, s] = value.slice(11, 19).split(':').map(Number);
  return h < 24 && m < 60 && s < 60;
}

/**
 * Reads the arguments of one request into the protocol's typed request. Throws OaiRequestError with badVerb
 * (verb missing, repeated or unknown) or badArgument (an argument repeated, unknown to the verb, missing, beside a
 * resumptionToken, or a date that is not one), naming the argument.
 */
export function parseProviderRequest(args: Args): ProviderRequest {
  const verbValues = args.get('verb');
  if (!verbValues) throw new OaiRequestError('badVerb', 'the verb argument is missing');
  if (verbValues.length > 1) throw new OaiRequestError('badVerb', 'the verb argument is repeated');
  const verb = verbValues[0];
  if (!isVerb(verb)) {
    throw new OaiRequestError('badVerb', `'${verb}' is not an OAI-PMH verb (${Object.keys(verbSchemas).join(', ')})`);
  }
  const schema = verbSchemas[verb];
  for (const [key, values] of args) {
    if (values.length > 1) throw new OaiRequestError('badArgument', `the argument ${key} is repeated`);
    const known =
      key === 'verb' ||
      schema.required.includes(key) ||
      schema.optional.includes(key) ||
      (schema.resumable && key === 'resumptionToken');
    if (!known) throw new OaiRequestError('badArgument', `${verb} takes no argument ${key}`);
  }
  const value = (key: string) => args.get(key)?.[0];

  // §3.5: "resumptionToken ... an exclusive argument": with it, the verb and nothing else.
  const resumptionToken = value('resumptionToken');
  if (isResumable(verb) && resumptionToken !== undefined) {
    if (args.size > 2) {
      throw new OaiRequestError('badArgument', 'resumptionToken is an exclusive argument: send it with the verb alone');
    }
    return { verb, resumptionToken } as Resumed<typeof verb>;
  }
  for (const key of schema.required) {
    if (!args.has(key)) throw new OaiRequestError('badArgument', `${verb} requires the argument ${key}`);
  }
  const from = value('from');
  const until = value('until');
  for (const [name, date] of Object.entries({ from, until })) {
    if (date !== undefined && !isUtcDate(date)) {
      const granularities = 'day (YYYY-MM-DD) or second (YYYY-MM-DDThh:mm:ssZ)';
      throw new OaiRequestError('badArgument', `${name}='${date}' is not a UTC date at ${granularities} granularity`);
    }
  }
  if (from && until && from.length !== until.length) {
    throw new OaiRequestError('badArgument', 'from and until must have the same granularity (§3.3.1)');
  }
  if (from && until && from > until) throw new OaiRequestError('badArgument', 'from is later than until');

  switch (verb) {
    case 'Identify':
      return { verb };
    case 'ListSets':
      return { verb };
    case 'ListMetadataFormats':
      return { verb, identifier: value('identifier') };
    case 'GetRecord':
      return { verb, identifier: value('identifier')!, metadataPrefix: value('metadataPrefix')! };
    case 'ListIdentifiers':
    case 'ListRecords':
      return { verb, metadataPrefix: value('metadataPrefix')!, from, until, set: value('set') };
  }
}
