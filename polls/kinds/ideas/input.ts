import type { KindPage } from '../kind-views.ts'
import IdeaPhone from './IdeaPhone.vue'

// In the page's one bundle: loading it lazily would save 0.5 kB gzip but cost phones a second request when the wall opens.
export const ideasPhone: KindPage = { Page: IdeaPhone }
