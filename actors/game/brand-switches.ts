/**
 * A provider or game as a staff member sees it: the per-brand switches of the brands in
 * their scope only, so nobody learns how brands outside it are set up.
 */
export function withSwitchesVisibleTo<V extends { brands: Record<string, boolean> }>(view: V, visible: (brand: string) => boolean): V {
  return { ...view, brands: Object.fromEntries(Object.entries(view.brands).filter(([brand]) => visible(brand))) };
}
