import { HttpStatus } from '@nestjs/common';
import { ProblemException, ValidationProblem } from '../common/problem.js';

export { projectNotFound } from '../projects/projects.service.js';
export const deliverableNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No deliverable with this id in your studio.');
export const versionNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No version with this id in your studio.');
export const commentNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No comment with this id in your studio.');

export const trackNotInProject = () => new ValidationProblem([{ field: 'trackId', messages: ['trackId must be a track of the same project'] }]);
export const fileNotInProject = () => new ValidationProblem([{ field: 'fileId', messages: ["fileId must be a file of the deliverable's project"] }]);

export const deliverableApproved = () =>
  new ProblemException(HttpStatus.CONFLICT, 'deliverable-approved', 'This deliverable is approved (closed): it takes no new versions.');
export const deliverableHasVersions = () =>
  new ProblemException(HttpStatus.CONFLICT, 'deliverable-has-versions', 'This deliverable has versions: its review history is kept, so it cannot be deleted.');
export const versionDecided = () => new ProblemException(HttpStatus.CONFLICT, 'version-decided', 'This version has already been decided.');
export const notLatestVersion = () =>
  new ProblemException(HttpStatus.CONFLICT, 'not-latest-version', 'A newer version of this deliverable exists: only the latest one can be decided.');

export const replyToReply = () => new ValidationProblem([], 'Replies are one level deep: reply to the top-level comment instead.');
export const rangeEndBeforeStart = () => new ValidationProblem([{ field: 'endSeconds', messages: ['endSeconds must be greater than atSeconds'] }]);
export const resolveReply = () => new ValidationProblem([{ field: 'resolved', messages: ['a reply is resolved with its thread: resolve the top-level comment'] }]);
export const notCommentAuthor = () => new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', "Only the comment's author can edit its text.");
export const cannotDeleteComment = () => new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', "Only the comment's author or an admin can delete it.");
