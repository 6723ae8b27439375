/**
 * The language layer: detection, normalisation, segmentation, stop words, keyword tokens and character
 * n-grams for Japanese, Thai and English. Pure functions, no Nest, no I/O: import from here.
 */
export {
  detectLanguage,
  type DetectedLang,
  type DetectionResult,
  type LanguageShares,
} from './language-detect';
export { normalizeText } from './normalize';
export { segmentWords } from './segment';
export { STOP_WORDS, isStopWord } from './stop-words';
export { keywordTokens, charNgrams } from './keywords';
