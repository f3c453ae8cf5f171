// Storage, wired: one repository per table family, each in its own module under storage/ — apps
// and keys, conversations and messages, contacts, announcements, ideas — all on one database.
// Storage runs SQL; who may read or write what is decided in policy/.
import type { Db } from "./db/db.ts";
import type { MasterKey } from "./secrets.ts";
import { AnnouncementStore } from "./storage/announcements.ts";
import { AppStore } from "./storage/apps.ts";
import { ContactStore } from "./storage/contacts.ts";
import { ConversationStore } from "./storage/conversations.ts";
import { IdeaStore } from "./storage/ideas.ts";

export type { App, AppForRequest, KeyInfo } from "./storage/apps.ts";
export type { ConversationContact, MessageRow, RateLimited } from "./storage/conversations.ts";

export class Store {
  readonly apps: AppStore;
  readonly conversations: ConversationStore;
  readonly contacts: ContactStore;
  readonly announcements: AnnouncementStore;
  readonly ideas: IdeaStore;

  constructor(
    readonly db: Db,
    masterKey: MasterKey,
  ) {
    this.apps = new AppStore(db, masterKey);
    this.conversations = new ConversationStore(db);
    this.contacts = new ContactStore(db);
    this.announcements = new AnnouncementStore(db);
    this.ideas = new IdeaStore(db);
  }

  // The apps' and conversations' methods, on the store itself under the names its callers (the
  // HTTP routes, the demo, the tests) used before storage had rooms of its own.
  readonly createApp: AppStore["createApp"] = (...a) => this.apps.createApp(...a);
  readonly getApp: AppStore["getApp"] = (...a) => this.apps.getApp(...a);
  readonly listApps: AppStore["listApps"] = (...a) => this.apps.listApps(...a);
  readonly updateApp: AppStore["updateApp"] = (...a) => this.apps.updateApp(...a);
  readonly createKey: AppStore["createKey"] = (...a) => this.apps.createKey(...a);
  readonly listKeys: AppStore["listKeys"] = (...a) => this.apps.listKeys(...a);
  readonly revokeKey: AppStore["revokeKey"] = (...a) => this.apps.revokeKey(...a);
  readonly getAppForRequest: AppStore["getAppForRequest"] = (...a) => this.apps.getAppForRequest(...a);
  readonly otherAppsKeys: AppStore["otherAppsKeys"] = (...a) => this.apps.otherAppsKeys(...a);
  readonly verifyKeys: AppStore["verifyKeys"] = (...a) => this.apps.verifyKeys(...a);
  readonly addVisitorMessage: ConversationStore["addVisitorMessage"] = (...a) => this.conversations.addVisitorMessage(...a);
  readonly readConversation: ConversationStore["readConversation"] = (...a) => this.conversations.readConversation(...a);
  readonly conversationFor: ConversationStore["conversationFor"] = (...a) => this.conversations.conversationFor(...a);
  readonly messages: ConversationStore["messages"] = (...a) => this.conversations.messages(...a);
  readonly listConversations: ConversationStore["listConversations"] = (...a) => this.conversations.listConversations(...a);
  readonly hasConversation: ConversationStore["hasConversation"] = (...a) => this.conversations.hasConversation(...a);
  readonly addReply: ConversationStore["addReply"] = (...a) => this.conversations.addReply(...a);
}
