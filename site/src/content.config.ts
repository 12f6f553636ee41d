import { defineCollection } from 'astro:content';
import { catalogueLoader } from './loaders/catalogue-loader.ts';

// One collection: every published record of the catalogue (live, withdrawn and harvested; never embargoed).
export const collections = {
  records: defineCollection({ loader: catalogueLoader() }),
};
