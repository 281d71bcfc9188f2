import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

export const portalAccountNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No such portal account for this client.');

export const portalEmailTaken = () =>
  new ProblemException(HttpStatus.CONFLICT, 'portal-email-taken', 'This email already has a portal account for another client of the studio.');

export const portalLinkInvalid = () =>
  new ProblemException(HttpStatus.GONE, 'portal-link-invalid', 'This link has expired or was already used. Ask for a new one.');

export const portalAccountDisabled = () =>
  new ProblemException(HttpStatus.CONFLICT, 'portal-account-disabled', 'This portal account is disabled: enable it before inviting it again. Nothing was sent.');

/** The invitation is committed before its mail: the account exists and a new invitation sends a new link. */
export const portalInviteNotMailed = () =>
  new ProblemException(
    HttpStatus.BAD_GATEWAY,
    'mail-not-sent',
    'The mail server could not be reached or refused the message: the portal account exists but the invitation was not mailed. Send the invitation again.',
  );

/** The balance Pay is for an invoice that is not split; a split invoice's shares are paid one by one. */
export const portalInvoiceSplit = () =>
  new ProblemException(HttpStatus.CONFLICT, 'invoice-split', 'This invoice is split between several payers: each pays their own share (Pay my share, or the link the studio sends them).');

export const portalShareNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No such share of this invoice.');

/** Issue 12: a portal account pays only the share whose payer email is its own. */
export const portalShareNotYours = () =>
  new ProblemException(HttpStatus.FORBIDDEN, 'share-not-yours', "This share is another payer's: they pay it through the link the studio sends them.");
