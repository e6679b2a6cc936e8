package bot

// funnelText carries the strings of the funnel, the stage form, the weekly review, the
// charts' comments and the hand-over.
func funnelText() catalog {
	return catalog{
		"funnel_usage": {
			"`/followup funnel [team|rep|@rep] [week|month|quarter|30d|2026-10-01..2026-12-01]`: your customers' funnel (reps), your team's (managers) or everyone's (admins); `rep` for your own, `@someone` for one rep of your team. The period defaults to this month.",
			"`/followup funnel [team|rep|@销售] [week|month|quarter|30d|2026-10-01..2026-12-01]`：查看销售漏斗。销售代表看自己的客户，经理看团队，管理员看全部；`rep` 只看自己，`@某人` 看团队中的某位销售。默认本月。",
		},
		"funnel_bad_period":    {"I can't read the period “%s”.", "无法识别时间段“%s”。"},
		"person_unknown":       {"I don't know who “%s” is: mention them (@name) or give their Slack id.", "不知道“%s”是谁：请 @ 对方或填写其 Slack ID。"},
		"funnel_not_yours":     {"You can see your own funnel, and a manager the funnels of their team's reps.", "你可以查看自己的漏斗；经理可以查看本团队销售代表的漏斗。"},
		"funnel_no_team":       {"Team funnels are for managers: `/followup funnel` shows yours.", "团队漏斗仅供经理查看：`/followup funnel` 查看你自己的。"},
		"funnel_of_rep":        {"<@%s>'s customers", "<@%s> 的客户"},
		"funnel_of_you":        {"Your customers", "你的客户"},
		"funnel_of_team":       {"Your team's customers", "团队的客户"},
		"funnel_of_all":        {"All customers", "全部客户"},
		"funnel_title":         {"Sales funnel", "销售漏斗"},
		"funnel_now":           {"Customers per stage now", "当前各阶段客户数"},
		"funnel_conversion":    {"Conversion in the period (of the customers that reached a stage, those that reached the next)", "本期转化率（到达某阶段的客户中进入下一阶段的比例）"},
		"funnel_step":          {"• %s → %s: %s", "• %s → %s：%s"},
		"funnel_rate":          {"%.0f%% (%d of %d)", "%.0f%%（%d/%d）"},
		"funnel_rate_none":     {"—", "—"},
		"funnel_by_tier":       {"Won of closed, by tier", "各等级成交率（成交/结单）"},
		"funnel_tier_line":     {"• Tier %s: %s · won %d, lost %d", "• %s 级：%s · 成交 %d，流失 %d"},
		"funnel_cycle_title":   {"Days from first contact to won", "从首次接触到成交的天数"},
		"funnel_cycle":         {"%.1f days on average (%d customers won)", "平均 %.1f 天（成交 %d 个客户）"},
		"funnel_cycle_none":    {"no customer won in the period", "本期没有成交客户"},
		"funnel_lost_reasons":  {"Lost reasons", "流失原因"},
		"funnel_reason_line":   {"%d. %s: %d", "%d. %s：%d"},
		"funnel_no_lost":       {"no deal lost in the period", "本期没有流失"},
		"funnel_chart_title":   {"Sales funnel", "销售漏斗"},
		"funnel_chart_comment": {"The funnel chart for %s (%s): customers per stage now. The chart's labels are in English; the figures are those of my answer.", "%s的销售漏斗图（%s）：当前各阶段客户数。图中标签为英文，数字与我的回答一致。"},

		"lost_reason_price":      {"Price", "价格"},
		"lost_reason_competitor": {"Competitor", "竞争对手"},
		"lost_reason_service":    {"Service", "服务"},
		"lost_reason_budget":     {"Budget", "预算"},
		"lost_reason_other":      {"Other", "其他"},

		"title_stage":       {"Change stage", "更新销售阶段"},
		"label_stage_now":   {"Stage", "销售阶段"},
		"label_lost_reason": {"Lost reason", "流失原因"},
		"hint_lost_reason":  {"Only when the stage is Lost.", "仅在阶段为“流失”时填写。"},
		"button_stage":      {"Change stage", "更新阶段"},
		"stage_unchanged":   {"*%s* stays where it was.", "*%s* 的阶段没有变化。"},
		"stage_line_lost":   {"Stage is now *%s* (reason: %s).", "销售阶段已更新为 *%s*（原因：%s）。"},
		"card_stage_lost":   {"%s (%s)", "%s（%s）"},

		"digest_usage":         {"`/followup digest` for the last 7 days, `/followup digest week` with the weekly review.", "`/followup digest` 查看最近7天，`/followup digest week` 附带周度复盘。"},
		"digest_idle_week":     {"Logged nothing all week (%d): no follow-up, step done, stage move or new customer", "本周无任何记录（%d 人）：没有跟进、完成计划、阶段变动或新增客户"},
		"digest_chart_title":   {"Activity per rep", "销售代表活动"},
		"digest_chart_comment": {"Activity per rep, %s: follow-ups logged, next steps done and stage moves. The chart's labels are in English.", "销售代表活动图（%s）：跟进记录、完成的下一步和阶段变动。图中标签为英文。"},
		"digest_chart_legend":  {"On the chart: %s", "图中编号：%s"},
		"review_title":         {"Weekly review", "周度复盘"},
		"review_requests":      {"Frequent customer requests", "客户高频诉求"},
		"review_request":       {"%s (%d)", "%s（%d）"},
		"review_no_requests":   {"nothing came up more than once", "没有重复出现的诉求"},
		"review_complaints":    {"Complaints", "投诉"},
		"review_complaints_value": {
			"%d received this week · %d open · %d in progress · %d resolved this week",
			"本周新增 %d · 待处理 %d · 处理中 %d · 本周解决 %d",
		},

		"handover_usage": {
			"`/followup handover @from @to`: moves all of @from's customers and open next steps to @to (admins; managers for their own team).",
			"`/followup handover @原负责人 @新负责人`：把原负责人的全部客户和未完成的下一步交接给新负责人（管理员；经理可交接本团队成员）。",
		},
		"handover_not_allowed": {"Hand-overs are for admins, and for managers within their own team. Ask your manager or an admin.", "交接仅限管理员，或经理在本团队内操作。请联系你的经理或管理员。"},
		"handover_same":        {"Those are the same person: name who takes the customers over.", "两者是同一个人：请指定接手的人。"},
		"handover_done":        {":white_check_mark: Handed over <@%s>'s %d customers and %d open next steps to <@%s>. I'm telling both of them and the manager by DM.", ":white_check_mark: 已将 <@%s> 的 %d 个客户和 %d 个未完成的下一步交接给 <@%s>，正在私信通知双方和经理。"},
		"handover_dm":          {":package: <@%s> handed over <@%s>'s customers to <@%s>: %d customers and %d open next steps moved.", ":package: <@%s> 已将 <@%s> 的客户交接给 <@%s>：共 %d 个客户、%d 个未完成的下一步。"},

		"Say why the deal was lost.":                      {"", "请选择流失原因。"},
		"Pick a reason from the list.":                    {"", "请从列表中选择原因。"},
		"Hand the customers over to someone else.":        {"", "请把客户交接给另一个人。"},
		"followup does not know the person handing over.": {"", "followup 不认识交出客户的人。"},
		"followup does not know the new owner.":           {"", "followup 不认识新的负责人。"},
		"A period must end after it starts.":              {"", "时间段的结束必须晚于开始。"},
	}
}
