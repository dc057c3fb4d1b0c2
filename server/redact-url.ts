/** The URL with its password replaced by ***, for start messages and log lines; `unparsable` if it is no URL. */
export function withoutPassword(url: string, unparsable = 'redis'): string {
  try {
    const parsed = new URL(url)
    if (parsed.password)
      parsed.password = '***'
    return parsed.href
  }
  catch {
    return unparsable
  }
}
