package bot

// complaintText holds the strings of the complaint forms, messages and buttons.
func complaintText() catalog {
	return catalog{
		"title_complaint":         {"New complaint", "新投诉"},
		"label_complaint_content": {"What the customer complained about", "投诉内容"},
		"ph_complaint_content":    {"In the customer's words: what went wrong, since when", "客户原话：出了什么问题，从何时开始"},
		"label_received_at":       {"Received on", "收到日期"},
		"label_received_time":     {"Received at", "收到时间"},
		"hint_received_time":      {"Leave empty for now (today) or midday (an earlier day).", "留空：当天为现在，更早的日期为中午。"},
		"label_handler":           {"Handler", "处理人"},
		"ph_handler":              {"Who resolves it", "由谁处理"},
		"hint_handler":            {"Leave empty for the customer's owner.", "留空则由客户负责人处理。"},
		"label_due_on":            {"Resolve by", "解决期限"},
		"hint_due_on_days":        {"Leave empty for the usual deadline: %d working days of the handler's.", "留空则按常规期限：处理人的 %d 个工作日。"},
		"hint_due_on_hours":       {"Leave empty for the usual deadline: %d working hours of the handler's.", "留空则按常规期限：处理人的 %d 个工作小时。"},
		"hint_due_on_days_hours":  {"Leave empty for the usual deadline: %d working days and %d hours of the handler's.", "留空则按常规期限：处理人的 %d 个工作日又 %d 小时。"},

		"cmp_saved":         {":white_check_mark: Saved the complaint from *%s* (%s): <@%s> handles it, to be resolved by %s.", ":white_check_mark: 已保存 *%s*（%s）的投诉：由 <@%s> 处理，须于 %s 前解决。"},
		"cmp_new":           {":triangular_flag_on_post: A complaint from *%s* (%s) for you to handle, filed by <@%s>, received %s. Resolve it by *%s*.", ":triangular_flag_on_post: 你有一条待处理的投诉：*%s*（%s），由 <@%s> 登记，收到于 %s。请于 *%s* 前解决。"},
		"cmp_due":           {":alarm_clock: The complaint from *%s* (%s), received %s, has reached its deadline: %s.", ":alarm_clock: *%s*（%s）于 %s 收到的投诉已到解决期限：%s。"},
		"cmp_escalated":     {":rotating_light: <@%s> has not resolved the complaint from *%s* (%s), due %s.", ":rotating_light: <@%s> 尚未解决 *%s*（%s）的投诉，期限为 %s。"},
		"cmp_nudge":         {":mega: <@%s> asks you to resolve the complaint from *%s* (%s), due %s.", ":mega: <@%s> 请你解决 *%s*（%s）的投诉，期限为 %s。"},
		"cmp_reassigned":    {":inbox_tray: <@%s> gave you the complaint from *%s* (%s), due %s.", ":inbox_tray: <@%s> 将 *%s*（%s）的投诉转交给你，期限为 %s。"},
		"cmp_status_line":   {"*Status:* %s", "*状态：* %s"},
		"cmp_started_on":    {"in progress since %s", "自 %s 起处理中"},
		"cmp_state_started": {":hammer_and_wrench: <@%s> started on the complaint from *%s* on %s.", ":hammer_and_wrench: <@%s> 已于 %[3]s 开始处理 *%[2]s* 的投诉。"},
		"cmp_summary":       {"*%s* (%s) · received %s", "*%s*（%s）· 收到于 %s"},
		"btn_start":         {"Start handling", "开始处理"},
		"btn_resolve":       {"Resolve…", "解决…"},

		"title_resolve":    {"Resolve complaint", "解决投诉"},
		"submit_resolve":   {"Resolve", "解决"},
		"label_resolution": {"How was it resolved?", "处理结果"},
		"ph_resolution":    {"e.g. replaced the damaged units and refunded the shipping", "例如：更换了损坏的产品并退还运费"},
		"label_satisfied":  {"Is the customer satisfied?", "客户是否满意？"},
		"satisfied_yes":    {"Yes, satisfied", "满意"},
		"satisfied_no":     {"No, not satisfied", "不满意"},
		"cmp_resolved_satisfied": {
			":white_check_mark: <@%s> resolved the complaint from *%s* (%s) on %s: %s\nThe customer is satisfied.",
			":white_check_mark: <@%s> 已于 %[4]s 解决 *%[2]s*（%[3]s）的投诉：%[5]s\n客户表示满意。",
		},
		"cmp_resolved_unsatisfied": {
			":ballot_box_with_check: <@%s> resolved the complaint from *%s* (%s) on %s: %s\nThe customer is *not* satisfied.",
			":ballot_box_with_check: <@%s> 已于 %[4]s 解决 *%[2]s*（%[3]s）的投诉：%[5]s\n客户*不*满意。",
		},

		"home_complaints":       {"Complaints you handle", "我处理的投诉"},
		"home_complaint_line":   {"Due %s · *%s* · %s", "期限 %s · *%s* · %s"},
		"card_complaints":       {"Complaints", "投诉"},
		"card_complaint_open":   {"• %s received %s · %s · handler <@%s> · due %s · %s", "• %s 收到于 %s · %s · 处理人 <@%s> · 期限 %s · %s"},
		"card_complaint_closed": {"• received %s · resolved %s · %s · %s → %s", "• 收到于 %s · 解决于 %s · %s · %s → %s"},
		"card_satisfied":        {"customer satisfied", "客户满意"},
		"card_unsatisfied":      {"customer not satisfied", "客户不满意"},

		"Say what the customer complained about.":       {"", "请填写投诉内容。"},
		"A complaint cannot be received in the future.": {"", "收到投诉的时间不能晚于现在。"},
		"Pick who handles the complaint.":               {"", "请选择处理人。"},
		"Pick the day it must be resolved by.":          {"", "请选择解决期限。"},
		"The deadline cannot be in the past.":           {"", "解决期限不能早于现在。"},
		"The usual deadline for a complaint received then has passed: pick the day it must be resolved by.": {"", "按收到时间计算的常规期限已过，请选择解决期限。"},
		"Say how the complaint was resolved.":    {"", "请填写处理结果。"},
		"Say whether the customer is satisfied.": {"", "请选择客户是否满意。"},
		"That complaint is already resolved.":    {"", "该投诉已解决。"},
		"That complaint no longer exists.":       {"", "该投诉已不存在。"},
	}
}
