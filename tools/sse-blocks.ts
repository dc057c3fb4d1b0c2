/** Splits text read from an event stream into its complete event blocks and the unfinished rest. */
export function takeSseBlocks(buffer: string): { blocks: string[], rest: string } {
  const blocks = buffer.split('\n\n')
  const rest = blocks.pop() ?? ''
  return { blocks, rest }
}
