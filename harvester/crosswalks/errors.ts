import { HarvestError } from '../errors.ts';

/** A record's metadata could not be mapped into a harvested record; `pointer` names the field when there is one. */
export class CrosswalkError extends HarvestError {
  readonly pointer: string;
  constructor(code: string, message: string, pointer = '') {
    super(code, message);
    this.name = 'CrosswalkError';
    this.pointer = pointer;
  }
}
