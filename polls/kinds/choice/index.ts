import type { PollBase, PollOption } from '../../types.ts'
import type { Counted, KindModule } from '../kind-module.ts'
import * as v from 'valibot'
import { optionKind } from '../kind-module.ts'

/** One option per voter. */
export interface ChoicePoll extends PollBase {
  kind: 'choice'
  options: PollOption[]
}

export function unknownOption(options: readonly PollOption[]): string {
  return `Ukjent svaralternativ. Gyldige er: ${options.map(option => option.id).join(', ')}.`
}

/** Exactly one of the options' ids. */
export function oneOption(options: readonly PollOption[]): v.GenericSchema<unknown, Counted> {
  return v.pipe(
    v.picklist(options.map(option => option.id), unknownOption(options)),
    v.transform((id): Counted => ({
      choice: id,
      items: [id],
    })),
  )
}

export const choice: KindModule<ChoicePoll> = {
  ...optionKind<ChoicePoll>(),
  choice: poll => oneOption(poll.options),
}
