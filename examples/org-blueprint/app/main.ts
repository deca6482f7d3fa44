import { acmePlatform } from './acme';

acmePlatform().synth();
