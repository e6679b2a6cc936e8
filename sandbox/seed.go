package sandbox

import (
	"context"
	"fmt"
)

// demoCustomer is a customer Seed adds through the New customer modal.
type demoCustomer struct {
	owner, name, industry, tier, source, contact, phone string
	idNumber                                            string // a unified social credit code, "" for none
	log                                                 string // a quick log, "" for none
	overdue                                             bool   // move its next action into the past
}

// The credit codes are made up, with valid check characters: the demo shows them masked to
// the other rep and in full to the owner, the manager and the admin.
var demoCustomers = []demoCustomer{
	{RepID, "Acme Trading Co", "Manufacturing", "S", "trade_show", "Wang Jun", "13800005678", "91310115MA1K4C2D77",
		"Acme Trading: visited the plant, they want a quote for 200 units next: send the quote tomorrow", true},
	{RepID, "Baichuan Commerce", "Retail", "A", "referral", "Liu Yang", "13900001111", "",
		"Baichuan: phone call, interested in plan B next: book a demo on Friday", false},
	{RepID, "Globex Logistics", "Logistics", "B", "ads", "Sun Li", "13700002222", "", "", false},
	{RepZHID, "华南精密制造", "制造业", "A", "referral", "黄磊", "13600003333", "91440300MA5G9R0T38",
		"华南精密: 电话沟通，对价格有顾虑 next: 明天发送报价单", true},
	{RepZHID, "Delta Foods", "Food", "C", "trade_show", "Zhou Min", "13500004444", "", "", false},
}

// Seed loads demo data through the bot's own endpoints, as the demo users would enter it,
// when the database has no customers yet: a team managed by the demo manager, customers
// of every tier owned by the reps, follow-ups and next actions, some of them overdue. The
// demo team works around the clock, so reminders of the overdue actions come within a
// scheduler run at any hour.
// It reports whether it loaded anything.
func (s *Sandbox) Seed(ctx context.Context, botURL string) (bool, error) {
	if s.cfg.DB != nil {
		var n int
		if err := s.cfg.DB.SQLX().GetContext(ctx, &n, `SELECT count(*) FROM customers`); err != nil {
			return false, fmt.Errorf("sandbox seed: %w", err)
		}
		if n > 0 {
			return false, nil
		}
	}
	s.mu.Lock()
	s.seeding = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.seeding = false
		s.mu.Unlock()
	}()
	text := func(v string) map[string]any { return map[string]any{"type": "plain_text_input", "value": v} }
	pick := func(v string) map[string]any {
		return map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v, "text": map[string]any{"type": "plain_text", "text": v}}}
	}
	submit := func(user, command string, values map[string]map[string]any) error {
		res, err := s.Command(ctx, botURL, user, command)
		if err != nil {
			return err
		}
		if res.Modal == nil {
			return fmt.Errorf("/followup %s opened no modal (answer %s)", command, res.Response)
		}
		sub, err := s.Submit(ctx, botURL, user, res.Modal.ID, values)
		if err != nil {
			return err
		}
		if len(sub.Errors) > 0 {
			return fmt.Errorf("/followup %s: %v", command, sub.Errors)
		}
		s.closeAll(user) // a duplicate warning or a notice is not for the demo
		return nil
	}

	if err := submit(AdminID, "team", map[string]map[string]any{
		"team_name": text("Sales East"),
		"manager":   {"type": "users_select", "selected_user": ManagerID},
		"members":   {"type": "multi_users_select", "selected_users": []any{RepID, RepZHID}},
		// Around the clock, so that the demo's reminders come whenever one tries it.
		"work_hours": text("00:00-23:59"), "work_days": text("Mon-Sun"),
	}); err != nil {
		return false, fmt.Errorf("sandbox seed: team: %w", err)
	}
	for _, c := range demoCustomers {
		if err := submit(c.owner, "new", map[string]map[string]any{
			"name": text(c.name), "industry": text(c.industry), "tier": pick(c.tier), "source": pick(c.source),
			"contact_name": text(c.contact), "contact_phone": text(c.phone), "id_number": text(c.idNumber),
		}); err != nil {
			return false, fmt.Errorf("sandbox seed: customer %s: %w", c.name, err)
		}
	}
	for _, c := range demoCustomers {
		if c.log == "" {
			continue
		}
		if _, err := s.Command(ctx, botURL, c.owner, "log "+c.log); err != nil {
			return false, fmt.Errorf("sandbox seed: log %s: %w", c.name, err)
		}
	}
	if s.cfg.DB != nil {
		// The bot refuses deadlines in the past, as it should; the demo wants some, so that
		// reminders come within a minute and the digest and Home tab show overdue work.
		for _, c := range demoCustomers {
			if !c.overdue {
				continue
			}
			if _, err := s.cfg.DB.SQLX().ExecContext(ctx, `
				UPDATE next_actions SET due_at = now() - interval '26 hours', created_at = created_at - interval '3 days'
				WHERE status = 'open' AND customer_id = (SELECT id FROM customers WHERE name = $1)`, c.name); err != nil {
				return false, fmt.Errorf("sandbox seed: overdue: %w", err)
			}
		}
		if _, err := s.cfg.DB.SQLX().ExecContext(ctx, `
			UPDATE follow_ups SET happened_at = happened_at - interval '3 days'
			WHERE customer_id IN (SELECT id FROM customers WHERE owner_id IN ($1, $2))`, RepID, RepZHID); err != nil {
			return false, fmt.Errorf("sandbox seed: history: %w", err)
		}
	}
	return true, nil
}
