package slackfake

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/slack-go/slack"
)

// AddUser adds or replaces a workspace member, served by users.info and accepted by
// conversations.open and as a chat.postMessage channel. Only the bot user exists at
// start: a user the test did not add is user_not_found, as a mistyped id is on Slack.
// An empty TeamID is filled with TeamID.
func (s *Server) AddUser(u slack.User) {
	if u.TeamID == "" {
		u.TeamID = TeamID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
}

func (s *Server) authTest(a args) any {
	return map[string]any{
		"ok": true, "url": "https://followup-fake.slack.com/", "team": "Follow-up Fake",
		"user": s.users[BotUserID].Name, "team_id": TeamID, "user_id": BotUserID,
		"bot_id": BotID, "is_enterprise_install": false,
	}
}

// usersInfo serves users.info. Slack leaves locale out unless include_locale=true;
// slack-go asks for it by default.
func (s *Server) usersInfo(a args) any {
	u, ok := s.users[a.str("user")]
	if !ok {
		return errorf("user_not_found")
	}
	var obj map[string]any
	b, _ := json.Marshal(u)
	_ = json.Unmarshal(b, &obj)
	if !a.bool("include_locale") {
		delete(obj, "locale")
	}
	return map[string]any{"ok": true, "user": obj}
}

// conversationsOpen serves conversations.open: 1 user gives a DM (D…), 2 to 8 a
// multi-person DM (G…); the same set of users always gets the same conversation.
func (s *Server) conversationsOpen(a args) any {
	if ch := a.str("channel"); ch != "" && a.str("users") == "" {
		if _, ok := s.dmMembers[ch]; !ok {
			return errorf("channel_not_found")
		}
		return s.openedConversation(ch, true, a.bool("return_im"))
	}
	var users []string
	for _, u := range strings.Split(a.str("users"), ",") {
		if u = strings.TrimSpace(u); u != "" && !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	switch {
	case len(users) == 0:
		return errorf("users_list_not_supplied")
	case len(users) > 8:
		return errorf("too_many_users")
	}
	for _, id := range users {
		u, ok := s.users[id]
		switch {
		case !ok:
			return errorf("user_not_found")
		case u.Deleted:
			return errorf("user_disabled")
		}
	}
	id, existed := s.openDM(users)
	return s.openedConversation(id, existed, a.bool("return_im"))
}

// openDM returns the conversation for exactly these users, creating it if needed.
// Callers hold s.mu.
func (s *Server) openDM(users []string) (id string, existed bool) {
	key := slices.Sorted(slices.Values(users))
	k := strings.Join(key, ",")
	if id, ok := s.dms[k]; ok {
		return id, true
	}
	prefix := "D"
	if len(users) > 1 {
		prefix = "G"
	}
	id = s.nextID(prefix)
	s.dms[k] = id
	s.dmMembers[id] = users
	return id, false
}

func (s *Server) openedConversation(id string, existed, full bool) any {
	ch := map[string]any{"id": id}
	if full {
		members := s.dmMembers[id]
		ch["created"] = s.now().Unix()
		ch["is_open"] = true
		ch["is_im"] = len(members) == 1
		ch["is_mpim"] = len(members) > 1
		ch["is_org_shared"] = false
		ch["last_read"] = "0000000000.000000"
		ch["unread_count"] = 0
		ch["priority"] = 0
		if len(members) == 1 {
			ch["user"] = members[0]
		}
	}
	resp := map[string]any{"ok": true, "channel": ch}
	if existed {
		resp["no_op"] = true
		resp["already_open"] = true
	}
	return resp
}
