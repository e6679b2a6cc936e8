package bot

// reminderText holds the strings of reminders, bundles, escalations and their buttons.
func reminderText() catalog {
	return catalog{
		"rem_action":                        {":alarm_clock: *%s* for *%s* (%s) is due %s.", ":alarm_clock: 客户 *%[2]s*（%[3]s）的下一步 *%[1]s* %[4]s 到期。"},
		"rem_promised":                      {"Promised %s.", "承诺于 %s。"},
		"rem_last":                          {"Last follow-up: %s · %s · %s", "最近跟进：%s · %s · %s"},
		"rem_no_last":                       {"No follow-up logged yet.", "尚无跟进记录。"},
		"rem_cadence":                       {":calendar: *%s* (%s) is past its tier %s cadence: no follow-up since %s.", ":calendar: *%s*（%s）已超过 %s 级客户的跟进频率：自 %s 起未跟进。"},
		"rem_cadence_never":                 {":calendar: *%s* (%s) is past its tier %s cadence: no follow-up logged yet.", ":calendar: *%s*（%s）已超过 %s 级客户的跟进频率：尚无跟进记录。"},
		"rem_bundle":                        {"You have %d follow-ups for today", "今天有 %d 项跟进"},
		"rem_more":                          {"…and %d more: `/followup due` lists them all.", "……还有 %d 项，`/followup due` 可查看全部。"},
		"esc_action":                        {":rotating_light: <@%s>'s next step for *%s* (%s), *%s*, was due %s and is still open.", ":rotating_light: <@%s> 对 *%s*（%s）的下一步 *%s* 已于 %s 到期，仍未完成。"},
		"esc_cadence":                       {":rotating_light: *%s* (%s, tier %s) has not heard from <@%s> since %s.", ":rotating_light: *%[1]s*（%[2]s，%[3]s 级）自 %[5]s 起未被 <@%[4]s> 跟进。"},
		"esc_cadence_never":                 {":rotating_light: *%s* (%s, tier %s) has never been followed up by <@%s>.", ":rotating_light: *%s*（%s，%s 级）从未被 <@%s> 跟进。"},
		"btn_done":                          {"Done", "完成"},
		"btn_snooze1":                       {"Snooze 1 day", "推迟1天"},
		"btn_snooze3":                       {"Snooze 3 days", "推迟3天"},
		"ph_snooze_date":                    {"Snooze to…", "推迟到…"},
		"btn_nudge":                         {"Nudge rep", "提醒销售"},
		"ph_reassign":                       {"Reassign to…", "转交给…"},
		"state_done":                        {":white_check_mark: Done: *%s* for *%s*.", ":white_check_mark: 已完成：*%s*（%s）。"},
		"state_snoozed":                     {":zzz: Snoozed to %s: *%s* for *%s*.", ":zzz: 已推迟到 %s：*%s*（%s）。"},
		"state_closed":                      {"This next step was already closed.", "该下一步已关闭。"},
		"state_nudged":                      {":mega: Nudged <@%s>.", ":mega: 已提醒 <@%s>。"},
		"state_reassigned":                  {":arrows_counterclockwise: Reassigned to <@%s>.", ":arrows_counterclockwise: 已转交给 <@%s>。"},
		"nudge_action":                      {":mega: <@%s> asks you to take care of *%s* for *%s* (%s), due %s.", ":mega: <@%s> 请你处理 *%s*（客户 *%s*，%s），截止 %s。"},
		"nudge_cadence":                     {":mega: <@%s> asks you to follow up with *%s* (%s).", ":mega: <@%s> 请你跟进 *%s*（%s）。"},
		"reassigned_to_you":                 {":inbox_tray: <@%s> gave you *%s* for *%s* (%s), due %s.", ":inbox_tray: <@%s> 将 *%s*（客户 *%s*，%s）转交给你，截止 %s。"},
		"customer_to_you":                   {":inbox_tray: <@%s> gave you the customer *%s* (%s) and its open next steps.", ":inbox_tray: <@%s> 将客户 *%s*（%s）及其未完成的下一步转交给你。"},
		"That next step is already closed.": {"", "该下一步已关闭。"},
		"That button is out of date.":       {"", "该按钮已过期。"},
		"Pick a day after today.":           {"", "请选择今天之后的日期。"},
	}
}
