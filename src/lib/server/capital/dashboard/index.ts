// The sufficiency dashboard and the published summary for the Local Offer.
export * from './queries';
export * from './csv';
