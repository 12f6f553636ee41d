/**
 * T as far as a converted study describes it: every field, at any depth, may be missing. The converter invents
 * nothing, so a field the study lacks stays missing and validation reports it (entry.schema.json's `required`).
 */
export type Draft<T> = T extends readonly (infer U)[]
  ? Draft<U>[]
  : T extends object
    ? { [K in keyof T]?: Draft<T[K]> }
    : T;
