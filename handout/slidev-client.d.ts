/**
 * The few Slidev client internals the handout and the reading view render with, typed for our compiler settings:
 * @slidev/client ships raw TypeScript sources written for looser settings and its own virtual modules, which our
 * strict type check cannot follow. tsconfig.json maps `@slidev/client/*` here for type checking only; Vite still bundles the real files.
 */
import type { SlideRoute, SlidevConfig } from '@slidev/types'
import type { ComputedRef, DefineComponent, Ref } from 'vue'

export interface SlidevNav {
  slides: Ref<SlideRoute[]>
  total: ComputedRef<number>
}

declare const component: DefineComponent<Record<string, unknown>>
export default component

export const CLICKS_MAX: number
export const configs: SlidevConfig
export const slideWidth: ComputedRef<number>
export const slideHeight: ComputedRef<number>
export function useNav(): SlidevNav
export function useFixedNav(route: SlideRoute, clicks: unknown): unknown
export function createFixedClicks(route: SlideRoute, clicks: number): unknown
