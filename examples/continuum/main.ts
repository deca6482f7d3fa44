import { continuumPlatform } from './continuum';

continuumPlatform().synth();
