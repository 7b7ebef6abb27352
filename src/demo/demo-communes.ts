// Demonstration data written by the Maillage project (not taken from any dataset).
// One reference point per commune of Orléans Métropole (EPCI 244500468), placed near each
// town hall or village centre. Codes are INSEE (COG) codes; coordinates are WGS84, 5 decimals.

export const DEMO_COMMUNE_POINTS: ReadonlyArray<{ code: string; nom: string; lat: number; lon: number }> = [
  { code: '45234', nom: 'Orléans', lat: 47.90268, lon: 1.90527 },
  { code: '45232', nom: 'Olivet', lat: 47.86384, lon: 1.89936 },
  { code: '45284', nom: 'Saint-Jean-de-Braye', lat: 47.91283, lon: 1.97346 },
  { code: '45147', nom: 'Fleury-les-Aubrais', lat: 47.93302, lon: 1.91853 },
  { code: '45302', nom: 'Saran', lat: 47.95006, lon: 1.87609 },
  { code: '45285', nom: 'Saint-Jean-de-la-Ruelle', lat: 47.91104, lon: 1.86553 },
  { code: '45075', nom: 'La Chapelle-Saint-Mesmin', lat: 47.88951, lon: 1.83957 },
  { code: '45169', nom: 'Ingré', lat: 47.91947, lon: 1.82552 },
  { code: '45286', nom: 'Saint-Jean-le-Blanc', lat: 47.89352, lon: 1.91748 },
  { code: '45089', nom: 'Chécy', lat: 47.89403, lon: 2.02404 },
  { code: '45274', nom: 'Saint-Denis-en-Val', lat: 47.87806, lon: 1.96302 },
  { code: '45298', nom: 'Saint-Pryvé-Saint-Mesmin', lat: 47.88353, lon: 1.87004 },
  { code: '45235', nom: 'Ormes', lat: 47.94203, lon: 1.81506 },
  { code: '45272', nom: 'Saint-Cyr-en-Val', lat: 47.83004, lon: 1.96703 },
  { code: '45308', nom: 'Semoy', lat: 47.93307, lon: 1.95401 },
  { code: '45282', nom: 'Saint-Hilaire-Saint-Mesmin', lat: 47.86602, lon: 1.83406 },
  { code: '45194', nom: 'Mardié', lat: 47.88703, lon: 2.05502 },
  { code: '45034', nom: 'Boigny-sur-Bionne', lat: 47.93304, lon: 2.01703 },
  { code: '45197', nom: 'Marigny-les-Usages', lat: 47.95701, lon: 2.01604 },
  { code: '45072', nom: 'Chanteau', lat: 47.96603, lon: 1.97106 },
  { code: '45043', nom: 'Bou', lat: 47.87004, lon: 2.05003 },
  { code: '45100', nom: 'Combleux', lat: 47.89812, lon: 1.99134 },
];
