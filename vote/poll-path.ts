/** `/v/<id>` asks for one poll; `/v` (or `/v/`) follows whichever poll the presenter opens. */
export function pollIdFromPath(pathname: string, base = '/v/'): string | undefined {
  const rest = pathname.startsWith(base)
    ? pathname.slice(base.length)
    : ''
  const id = rest.split('/')[0]
  if (!id)
    return undefined
  try {
    return decodeURIComponent(id)
  }
  catch {
    return id
  }
}
