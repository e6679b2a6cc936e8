// Package slackfake is an in-process stand-in for Slack's Web API, for end-to-end tests.
//
// It is the only Slack fake the project uses, so it tries to answer the way Slack does
// rather than the way a test would like: the same HTTP statuses, the same JSON shapes, the
// same error names (channel_not_found, invalid_blocks, expired_trigger_id, hash_conflict,
// ratelimited, ...) and the same Block Kit and modal limits. A bot that passes against it
// should not meet a new class of error against real Slack.
//
// Point a slack-go client at it with
//
//	fake := slackfake.NewTest(t)
//	api := slack.New(fake.Token(), slack.OptionAPIURL(fake.APIURL()))
//
// Served methods: auth.test, users.info, conversations.open, chat.postMessage,
// chat.postEphemeral, chat.update, views.open, views.push, views.update, views.publish,
// files.getUploadURLExternal, files.completeUploadExternal, files.info,
// apps.connections.open (with a Socket Mode websocket server: hello, pings, envelopes, acks,
// disconnect); plus response_url, upload and file download URLs on the fake's own host
// (ShareFile puts a file a person uploads there). Anything else answers 404 unknown_method, so a bot that
// starts using a new method finds out here first.
//
// Every request is recorded (Calls, CallsTo, WaitFor); what the bot produced can be read
// back per surface (Messages, Views, HomeView, Responses, Files); faults can be injected
// (FailNext, FailNextError, Down). The Block Kit checks are exported (ValidateBlocks,
// ValidateView) so builders can be tested without a server.
package slackfake
