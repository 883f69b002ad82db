export { addFeedback, addPoint, approvePosition, savePosition } from './advice';
export { answerPoint, checkPoint, deliverPoint, publishAnswers, withdrawPoint } from './answers';
export { addTheme, importThemes } from './themes';
export { setConsultationRule, setGroup, setWatch } from './groups';
export { closeConsultation, closeDueConsultations, consultationClosingJob, extendConsultation, openConsultation, recordSteeringDecision } from './consultations';
export { approveEdition, createEdition, saveEdition } from './editions';
