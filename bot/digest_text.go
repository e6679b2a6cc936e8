package bot

// digestText carries the manager digest's strings.
func digestText() catalog {
	return catalog{
		"digest_title":         {"Team digest", "团队跟进摘要"},
		"digest_period":        {"%s – %s", "%s 至 %s"},
		"digest_totals":        {"Team totals", "团队合计"},
		"digest_followups":     {"Follow-ups logged", "跟进记录"},
		"digest_steps":         {"Next steps", "下一步计划"},
		"digest_steps_value":   {"%d due · %d done · %d overdue", "到期 %d · 完成 %d · 逾期 %d"},
		"digest_past_cadence":  {"Customers past cadence", "超出跟进频率的客户"},
		"digest_new_customers": {"New customers", "新增客户"},
		"digest_moves":         {"Stage moves", "阶段变动"},
		"digest_moves_value":   {"%d (%d won, %d lost)", "%d（成交 %d，流失 %d）"},
		"digest_conversion":    {"Conversion (won of closed)", "转化率（成交/结单）"},
		"digest_pct":           {"%.0f%%", "%.0f%%"},
		"digest_no_closed":     {"no deal closed", "本期无结单"},

		"digest_by_rep":     {"By rep", "按销售代表"},
		"digest_by_rep_top": {"By rep: the %d with the most overdue steps and customers past cadence", "按销售代表：逾期计划和超期客户最多的 %d 人"},
		"digest_rep_line": {
			"%s *%s*: follow-ups %d · steps due %d, done %d, overdue %d · past cadence %d · new customers %d · stage moves %d (won %d, lost %d)",
			"%s *%s*：跟进 %d · 计划 到期 %d、完成 %d、逾期 %d · 超期客户 %d · 新客户 %d · 阶段变动 %d（成交 %d，流失 %d）",
		},
		"digest_rep_line_rated": {
			"%s *%s*: follow-ups %d · steps due %d, done %d, overdue %d · past cadence %d · new customers %d · stage moves %d (won %d, lost %d) · satisfaction %.1f (surveys: %d)",
			"%s *%s*：跟进 %d · 计划 到期 %d、完成 %d、逾期 %d · 超期客户 %d · 新客户 %d · 阶段变动 %d（成交 %d，流失 %d）· 满意度 %.1f 分（%d 份）",
		},
		"digest_rest": {
			"…and %d more reps: %d follow-ups, %d steps overdue, %d customers past cadence.",
			"……另有 %d 人：跟进 %d，逾期计划 %d，超期客户 %d。",
		},
		"digest_idle":    {"No activity (%d): no follow-up logged, step done, stage move or new customer", "本期无动作（%d 人）：没有跟进、完成计划、阶段变动或新增客户"},
		"digest_no_reps": {"Nobody is in your teams yet. An admin can add reps to a team.", "你的团队还没有成员，请管理员把销售代表加入团队。"},

		"digest_churn":      {":warning: Churn risk (%d)", ":warning: 流失风险客户（%d）"},
		"digest_churn_line": {"• *%s* (%s) · tier %s · owner <@%s> · last contact %s", "• *%s*（%s）· %s 级 · 负责人 <@%s> · 最近跟进 %s"},
		"digest_none":       {"none", "无"},
		"digest_more":       {"…and %d more.", "……还有 %d 个。"},

		"digest_complaints":            {"Open complaints (%d)", "未解决投诉（%d）"},
		"digest_complaints_oldest":     {"The oldest:", "最早的几条："},
		"digest_complaint_line":        {"• %s · *%s* · %s · %s · %s", "• %s · *%s* · %s · %s · %s"},
		"digest_handler":               {"handler <@%s>", "处理人 <@%s>"},
		"digest_no_handler":            {"no handler yet", "尚未指派处理人"},
		"digest_complaint_figures":     {"This period: %d received · %d resolved (%d with the customer satisfied) · %d open past their deadline", "本期：收到 %d · 解决 %d（客户满意 %d）· %d 条已超过解决期限"},
		"complaint_status_open":        {"open", "待处理"},
		"complaint_status_in_progress": {"in progress", "处理中"},
		"complaint_status_resolved":    {"resolved", "已解决"},

		"digest_satisfaction":     {":bar_chart: Satisfaction", ":bar_chart: 客户满意度"},
		"digest_survey_none":      {"No survey answered in this period or the one before.", "本期和上期都没有满意度调查。"},
		"digest_survey_none_prev": {"No survey answered in this period; the period before averaged %.1f (surveys: %d).", "本期没有满意度调查；上期平均 %.1f 分（%d 份调查）。"},
		"digest_survey_first":     {"Team average *%.1f* (surveys: %d); none in the period before.", "团队平均 *%.1f* 分（%d 份调查）；上期没有调查。"},
		"digest_survey_trend":     {"Team average *%.1f* (surveys: %d); the period before, %.1f (surveys: %d): %s %+.1f", "团队平均 *%.1f* 分（%d 份调查）；上期 %.1f 分（%d 份调查）：%s %+.1f"},
		"digest_survey_dim":       {"%s %.1f", "%s %.1f 分"},
	}
}
