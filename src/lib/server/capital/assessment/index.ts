export { assignAssessor, declareInterest, decideApplication, moderateScore, setSpreadWidth, submitScores } from './commands';
export { assessmentForPage, assessQueue, decisionsForPage, officerPicker, rankingPage, rankingQuery, roundAssessors, scoresForPage, QUEUE_PAGE_SIZE, RANKING_PAGE_SIZE, QUEUE_KEY, RANKING_KEY } from './queries';
export { loadAssessmentRef } from './access';
export { assessmentPageRooms } from './live';
