import type { PollBase, PollOption } from '../../types.ts'
import type { Counted, KindModule } from '../kind-module.ts'
import * as v from 'valibot'
import { unknownOption } from '../choice/index.ts'
import { optionKind } from '../kind-module.ts'

/** One or more options per voter. */
export interface MultiPoll extends PollBase {
  kind: 'multi'
  options: PollOption[]
}

export const multi: KindModule<MultiPoll> = {
  ...optionKind<MultiPoll>(),
  choice(poll) {
    const ids = poll.options.map(option => option.id)
    return v.pipe(
      v.array(v.picklist(ids, unknownOption(poll.options)), 'Svaret må være en liste med alternativer.'),
      v.nonEmpty('Velg minst ett alternativ.'),
      v.check(chosen => new Set(chosen).size === chosen.length, 'Hvert alternativ kan bare velges én gang.'),
      v.transform((chosen): Counted => {
        const inOptionOrder = ids.filter(id => chosen.includes(id))
        return { choice: inOptionOrder, items: inOptionOrder }
      }),
    )
  },
}
