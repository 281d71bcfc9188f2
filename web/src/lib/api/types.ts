/**
 * Friendly aliases for the generated OpenAPI types. Everything here is derived
 * from schema.d.ts (generated from openapi.json): never hand-write API shapes.
 * Aliases are derived from operations (stable operationIds) rather than schema
 * names so a renamed DTO only needs fixing here, if anywhere.
 */
import type { operations } from './schema';

type JsonBody<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type RequestJson<Op> = Op extends { requestBody?: infer RB } ? JsonBody<NonNullable<RB>> : never;

export type AuthSession = JsonBody<operations['login']['responses'][200]>;
export type Me = JsonBody<operations['me']['responses'][200]>;
export type Role = Me['role'];
export type VerificationStatus = Me['verification'];
export type SubscriptionStanding = Me['subscription'];
/** Issue 11: the studio's own subscription (GET /billing, owner). */
export type Subscription = JsonBody<operations['getSubscription']['responses'][200]>;
export type RegisterBody = RequestJson<operations['register']>;
export type LoginBody = RequestJson<operations['login']>;

export type Client = JsonBody<operations['getClient']['responses'][200]>;
export type ClientPage = JsonBody<operations['listClients']['responses'][200]>;
export type ListClientsQuery = NonNullable<operations['listClients']['parameters']['query']>;
export type CreateClientBody = RequestJson<operations['createClient']>;
export type UpdateClientBody = RequestJson<operations['updateClient']>;

// Accounts and access (issue 7).
export type Member = JsonBody<operations['updateMember']['responses'][200]>;
export type Invite = JsonBody<operations['createInvite']['responses'][201]>;
export type ApiKey = JsonBody<operations['listApiKeys']['responses'][200]>['items'][number];
export type CreatedApiKey = JsonBody<operations['createApiKey']['responses'][201]>;
export type AuditEntry = JsonBody<operations['listAudit']['responses'][200]>['items'][number];
export type AuditQuery = NonNullable<operations['listAudit']['parameters']['query']>;
export type SignedInSession = JsonBody<operations['listSessions']['responses'][200]>['items'][number];
export type StudioMembership = JsonBody<operations['listOrganizations']['responses'][200]>['items'][number];

// Scheduling resources (issue 9): studio settings, rooms, equipment, engineers.
export type StudioSettings = JsonBody<operations['getStudio']['responses'][200]>;
export type UpdateStudioSettingsBody = RequestJson<operations['updateStudio']>;
export type DailyHours = StudioSettings['openingHours'][number];
export type Room = JsonBody<operations['getRoom']['responses'][200]>;
export type ListRoomsQuery = NonNullable<operations['listRooms']['parameters']['query']>;
export type CreateRoomBody = RequestJson<operations['createRoom']>;
export type UpdateRoomBody = RequestJson<operations['updateRoom']>;
export type Equipment = JsonBody<operations['getEquipment']['responses'][200]>;
export type EquipmentStatus = Equipment['status'];
export type ListEquipmentQuery = NonNullable<operations['listEquipment']['parameters']['query']>;
export type CreateEquipmentBody = RequestJson<operations['createEquipment']>;
export type UpdateEquipmentBody = RequestJson<operations['updateEquipment']>;
export type Engineer = JsonBody<operations['listEngineers']['responses'][200]>['items'][number];
export type TimeOff = JsonBody<operations['addTimeOff']['responses'][201]>;
export type CreateTimeOffBody = RequestJson<operations['addTimeOff']>;

// Scheduling (issue 9, calendar-web): bookings as the calendar reads and writes them.
export type Booking = JsonBody<operations['getBooking']['responses'][200]>;
export type BookingStatus = Booking['status'];
export type CreateBookingBody = RequestJson<operations['createBooking']>;
export type UpdateBookingBody = RequestJson<operations['updateBooking']>;


// Projects (issue 10, projects): projects, their summary and tracks.
export type Project = JsonBody<operations['updateProject']['responses'][200]>;
export type ProjectDetail = JsonBody<operations['getProject']['responses'][200]>;
export type ProjectSummary = ProjectDetail['summary'];
export type ProjectStatus = Project['status'];
export type ProjectType = Project['type'];
export type ListProjectsQuery = NonNullable<operations['listProjects']['parameters']['query']>;
export type CreateProjectBody = RequestJson<operations['createProject']>;
export type UpdateProjectBody = RequestJson<operations['updateProject']>;
export type Track = JsonBody<operations['createTrack']['responses'][201]>;
export type TrackStatus = Track['status'];
export type CreateTrackBody = RequestJson<operations['createTrack']>;
export type UpdateTrackBody = RequestJson<operations['updateTrack']>;

// Mix reviews (issue 10, review-web): deliverables, versions, review comments.
export type Deliverable = JsonBody<operations['createDeliverable']['responses'][201]>;
export type DeliverableDetail = JsonBody<operations['getDeliverable']['responses'][200]>;
export type DeliverableVersion = JsonBody<operations['getVersion']['responses'][200]>;
export type ReviewComment = JsonBody<operations['createReviewComment']['responses'][201]>;
// Issue 13, webhooks.
export type WebhookEndpoint = JsonBody<operations['listWebhookEndpoints']['responses'][200]>['items'][number];
export type WebhookEndpointWithSecret = JsonBody<operations['createWebhookEndpoint']['responses'][201]>;
export type WebhookDelivery = JsonBody<operations['listWebhookDeliveries']['responses'][200]>['items'][number];
