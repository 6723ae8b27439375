export {
  detectLanguage,
  type DetectedLang,
  type DetectionResult,
  type LanguageShares,
} from './language-detect';
