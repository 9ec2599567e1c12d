import { useEffect, useState } from 'preact/hooks';

/**
 * False until `ready` has been true in a render that the browser has painted, then true for good.
 * Preact runs effects after the next frame, so the state flips once the frame with `ready` is on
 * screen: work it gates stays out of that frame.
 */
export function useOnceAfterPaint(ready: boolean): boolean {
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (ready && !done) setDone(true);
  }, [ready, done]);
  return done;
}
