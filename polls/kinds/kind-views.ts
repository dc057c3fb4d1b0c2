import type { Component } from 'vue'
import type { Choice, PollStatus } from '../types.ts'

/** How a kind of poll is answered on the phone. Apart from its result view, so the voting page loads no chart. */
export interface KindInput<P> {
  /** The phone's input; its v-model is the answer being put together. */
  Input: Component
  inputProps: (poll: P) => Record<string, unknown>
  /** The answer the input starts from: the vote this phone already gave, when it fits. */
  draft: (given: Choice | undefined) => Choice | undefined
  /** Said under the question on the phone. */
  hint?: string
}

/** How a kind of poll looks: its result on the slide and its input on the phone. */
export interface KindViews<P> extends KindInput<P> {
  Result: Component
  /** The result view's props, from the status the server (or the saved results) describe the poll by. */
  resultProps: (status: PollStatus) => Record<string, unknown>
}
