// Where the phone is: one reading, or readings as it moves (a patrol's track).
export interface Fix { lon: number; lat: number; accuracy: number; at: string }

const fix = (p: GeolocationPosition): Fix => ({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy, at: new Date(p.timestamp).toISOString() });

export function currentFix(): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('no geolocation'));
    navigator.geolocation.getCurrentPosition((p) => resolve(fix(p)), (e) => reject(new Error(e.message)), { enableHighAccuracy: true, timeout: 15000, maximumAge: 10000 });
  });
}

// Calls back with each reading; the returned function stops watching.
export function watchFixes(onFix: (f: Fix) => void): () => void {
  if (!navigator.geolocation) return () => undefined;
  const id = navigator.geolocation.watchPosition((p) => onFix(fix(p)), () => undefined, { enableHighAccuracy: true, maximumAge: 5000 });
  return () => navigator.geolocation.clearWatch(id);
}
