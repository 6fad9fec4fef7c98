"""Write the sample portal's 2026 科技活动周 and 全国科普日 events (content/events/<street>/2026/).

Run once when the sample is refreshed: ``python scripts/sample_campaigns.py``. The files it writes
are ordinary event files, committed and edited like any other; running it again rewrites them.
Each row below is one event: slug | street | date | time (empty: all day) | team | categories |
audiences | venue (an id of venues.yml, or 名称@地址) | community | programmes | speakers |
attendance | title | summary | body (paragraphs separated by " / ").
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "content" / "events"
CAMPAIGNS = {"05": "keji-huodongzhou-2026", "09": "quanguo-kepuri-2026"}
CONTACTS = {
    "binhai-kexie": "滨海新区科协科普部 022-6530 0000",
    "qianming-zhuanjia": "滨海新区科协学会部 022-6530 0001",
    "taida-kexue-huiketing": "泰达街道社区服务中心 022-6620 0000",
    "xinbei-liudong": "新北街道党群服务中心 022-2560 0000",
    "hujiayuan-tongxuehui": "胡家园街道文化站 022-2530 0000",
    "dagang-zhiqi": "大港街道青少年活动中心 022-6390 0000",
    "shengtaicheng-yanxue": "生态城社会局 022-6670 0000",
    "chadian-xinnong": "茶淀街道农业服务中心 022-6720 0000",
    "xiaowangzhuang-huimin": "小王庄镇农业综合服务中心 022-6320 0000",
    "yangjiabo-xiaxiang": "杨家泊镇农业综合服务中心 022-6730 0000",
    "hangzhoudao-zhulao": "杭州道街道养老服务中心 022-2540 0000",
    "tanggu-jiankang": "塘沽街道社区卫生服务中心 022-2580 0000",
    "gaoxinqu-kechuang": "高新区科技服务中心 022-6660 0000",
    "haibin-anquan": "海滨街道应急办 022-6310 0000",
}

ROWS = """
keji-huodongzhou-2026-zhuchang|xincun|2026-05-16|09:00-16:30|binhai-kexie|kepu-zhanlan,kexue-shiyan|shequ-jumin,qinzi,qingshaonian|binhai-wenhua-zhongxin||bincheng-kepuhui||9800|2026年科技活动周启动式暨主场科普展|启动式后开放科技展厅和四十多个科普展位，机器人、无人机、应急安全体验和科学实验秀全天轮换。|上午 9 点在文化中心东广场举行启动式，随后科技展厅和广场上的科普展位同时开放，一直到下午 4 点半。 / 各街镇志愿服务队带来自己的特色项目：茶淀的葡萄土壤小实验、小王庄的水产养殖模型、生态城安全馆的灭火器体验、大港“智启梦工厂”的机器人对抗赛。科学实验秀上午 10 点、下午 2 点各一场。 / 广场人多，请看管好孩子；展厅内有饮水点和母婴室。
kjz26-tanggu-yaoxiang|tanggu|2026-05-16|09:00-11:00|tanggu-jiankang|weisheng-jiankang|laonianren,shequ-jumin|塘沽街道社区卫生服务中心一楼大厅@天津市滨海新区塘沽街道社区卫生服务中心|xingganglu|qianming-zhuanjia|liu-yufang|86|家庭药箱大扫除：药师教您辨别过期药|药师现场帮居民检查家里的常用药，讲清楚过期药、变质药怎么认、怎么扔。|请把家里的药盒（连同说明书）装袋带来，药师逐一查看有效期和保存方法。 / 过期药品可以现场投放到回收箱，每人可领一个分格药盒。
kjz26-tanggu-yizhong-kepu|tanggu|2026-05-20|14:00-16:00|binhai-kexie|qingshaonian-kechuang,kepu-jiangzuo|qingshaonian|tanggu-yizhong|||sun-zhiqiang|320|科学家进校园：人工智能离我们有多远|高级工程师走进塘沽第一中学，讲人工智能怎样识别图像、怎样学习，以及它做不到的事。|讲座结合学生熟悉的例子：手机相册怎么认出人脸、扫地机器人怎么避开障碍。 / 最后半小时是问答，学生可以把问题提前交给科技老师。
kjz26-hangzhoudao-shouji|hangzhoudao|2026-05-18|09:30-11:00|hangzhoudao-zhulao|zhulao-kepu|laonianren|杭州道街道养老服务中心二楼教室@天津市滨海新区杭州道街道养老服务中心|yingbin|zhulao-kepu||42|科技周银龄课堂：用手机挂号和看化验单|一步一步教老年人在手机上预约挂号、查看化验结果，志愿者一对一辅导。|请带上已经充好电的智能手机和医保卡。 / 课上练习两件事：在医院的公众号上预约门诊，在“检查报告”里找到自己的化验单。
kjz26-hangzhoudao-fangzha|hangzhoudao|2026-05-21|14:30-16:00|hangzhoudao-zhulao|zhulao-kepu,yingji-anquan|laonianren|杭州道街道养老服务中心多功能厅@天津市滨海新区杭州道街道养老服务中心一楼|yingbin|zhulao-kepu||65|反诈情景课：“保健品讲座”里的圈套|用情景短剧还原“免费体检、赠送礼品、高价卖保健品”的常见骗局，教老人识破话术。|派出所民警讲三个真实案例，志愿者表演情景短剧。 / 请家属提醒老人：凡是要先交钱、要保密、要马上决定的，都先打电话问家里人。
kjz26-xinhe-lajifenlei|xinhe|2026-05-17|09:30-11:00|binhai-kexie|kexue-shiyan|qinzi,ertong|hebinyuan-dangqun|hebinyuan|bincheng-kepuhui||38|垃圾去哪儿了：亲子分类闯关|孩子和家长一起闯过四道分类关卡，看看一个易拉罐、一块果皮最后变成了什么。|每个家庭领一张闯关卡，完成分类投放、堆肥观察、再生材料猜猜看和手工小制作四关。 / 全部通关的家庭可获得社区花园的种子包。
kjz26-xinhe-yanjing|xinhe|2026-05-22|14:00-15:30|qianming-zhuanjia|weisheng-jiankang|qinzi|hebinyuan-dangqun|hebinyuan|qianming-zhuanjia||45|孩子近视了怎么办：眼科医生答家长问|眼科医生讲近视的成因、散瞳验光的必要性和户外活动的作用，现场解答家长提问。|讲座后为 6 到 12 岁的孩子做免费视力筛查，请家长陪同。
kjz26-dagu-fangzai|dagu|2026-05-16|09:00-11:30|binhai-kexie|yingji-anquan|shequ-jumin,qinzi|海河湾社区广场@天津市滨海新区大沽街道海河湾社区广场|haihewan|bincheng-kepuhui||150|科技周应急体验：家庭应急包里装什么|社区广场设烟雾逃生帐篷、灭火器实操和应急包挑选三个体验点。|消防员现场指导使用灭火器，孩子可以在烟雾帐篷里练习弯腰低姿逃生。 / 应急包体验点教大家按照“水、食物、照明、药品、证件”五类准备家庭应急包。
kjz26-dagu-guanjie|dagu|2026-05-19|09:00-10:30|qianming-zhuanjia|weisheng-jiankang|laonianren|海河湾社区日间照料中心@天津市滨海新区大沽街道海河湾社区日间照料中心|haihewan|qianming-zhuanjia||40|上下楼膝盖疼：骨科医生讲关节保养|骨科医生讲膝关节退变的原因，带着大家练几个保护膝盖的简单动作。|讲座约 50 分钟，之后是 40 分钟的动作练习和答疑。请穿便于活动的衣服。
kjz26-xinbei-liudong-jinjiang|xinbei|2026-05-16||xinbei-liudong|kepu-zhanlan,kexue-shiyan|qinzi,ertong,shequ-jumin|新北街道金江社区文体广场及活动中心@天津市滨海新区新北街道金江社区|jinjiang|liudong-kejiguan||1260|流动科技馆科技周特展：声光电的秘密|流动科技馆 40 件互动展品进金江社区，声、光、电三个主题展区全天开放。|展品包括声聚焦、光的三原色、手蓄电池等，每个展区都有志愿者讲解。 / 开放时间 9:00–16:00，中午不闭馆。
kjz26-xinbei-xiaoyuan|xinbei|2026-05-21|13:30-16:00|xinbei-liudong|kepu-zhanlan,qingshaonian-kechuang|qingshaonian,ertong|新北街道第一小学体育馆@天津市滨海新区新北街道第一小学|minjiangli|liudong-kejiguan||540|流动科技馆进校园：科技周开放课|流动科技馆的展品搬进学校体育馆，各年级按班级轮流参观体验。|本场为校内活动，学生由班主任统一组织，家长不必到场。
kjz26-beitang-haiyang|beitang|2026-05-17|09:00-11:00|binhai-kexie|yanxue|qinzi,qingshaonian|beitang-shidi-zhandao|beitang-guzhen|bincheng-kepuhui|chen-haiyang|60|湿地里的候鸟驿站：北塘春季观鸟|跟随海洋生态研究人员沿湿地栈道观察春季迁徙的鸻鹬类水鸟。|每组配一台单筒望远镜，研究人员讲解怎样从嘴型和腿长认鸟。 / 请穿防滑鞋，带帽子和水，不要投喂鸟类。
kjz26-beitang-yuye|beitang|2026-05-20|14:30-16:00|binhai-kexie|kepu-jiangzuo|shequ-jumin|北塘街道党群服务中心报告厅@天津市滨海新区北塘街道党群服务中心|beitang-guzhen|||72|从木船到智慧渔港：北塘渔业的变迁|讲北塘渔民出海方式的变化，从木帆船、机帆船到北斗导航和渔船监控。|主讲人是在渔港工作了三十年的老渔技员，现场展示老渔具和渔船模型。
kjz26-hujiayuan-tongxuehui|hujiayuan|2026-05-16|14:00-16:00|hujiayuan-tongxuehui|kexue-shiyan|qinzi,ertong|hujiayuan-wenhuazhan|yangjiayuan|zhoumo-kexue-tongxuehui||28|周末科学同学会：会变色的紫甘蓝|用紫甘蓝汁做酸碱指示剂，测测白醋、小苏打水、肥皂水是酸还是碱。|每个家庭一套实验盒，孩子动手、家长记录。实验材料都是厨房里的东西，回家可以再做一遍。
kjz26-hujiayuan-dianlu|hujiayuan|2026-05-23|14:00-16:00|hujiayuan-tongxuehui|kexue-shiyan,qingshaonian-kechuang|qinzi,ertong|hujiayuan-wenhuazhan|yangjiayuan|zhoumo-kexue-tongxuehui||30|周末科学同学会：给小台灯接电路|认识电池、开关和发光二极管，亲手接一盏能开关的小台灯。|适合 8 到 12 岁的孩子，每个家庭做好的台灯可以带回家。
kjz26-xingang-qixiang|xingang|2026-05-17|09:00-11:30|binhai-kexie|yanxue|qinzi,qingshaonian|xingang-qixiang|xingang-yijian|bincheng-kepuhui||55|气象站开放日：风从哪里来|开放海洋气象观测科普点，看风速仪、雨量筒和探空气球怎样工作。|气象员带大家读一次实时观测数据，孩子们可以试着预报明天的天气。
kjz26-xingang-haiyang|xingang|2026-05-22|14:00-15:30|binhai-kexie|kepu-jiangzuo|shequ-jumin,qingshaonian|xingang-wenhua-zhongxin|xingang-yijian||chen-haiyang|48|渤海湾的“海洋牧场”是怎么建的|研究人员讲人工鱼礁、增殖放流和海洋牧场怎样让渤海湾的鱼多起来。|讲座配有水下视频，介绍渤海湾常见的鱼、虾、贝类。
kjz26-xincun-xingkong|xincun|2026-05-20|19:30-21:00|binhai-kexie|kexue-shiyan|qinzi,qingshaonian|fuzhoudao-guangchang|fuzhoudao|||90|社区星空夜：用望远镜看月亮|天文爱好者在社区广场架起望远镜，带大家看月面环形山和木星卫星。|遇阴雨天改为室内星空讲座，请关注社区群通知。
kjz26-taida-huiketing|taida|2026-05-16|09:30-11:00|taida-kexue-huiketing|kepu-jiangzuo|shequ-jumin,qinzi|taida-kexue-huiketing|taifeng|kexue-huiketing||64|科学会客厅科技周特别场：电池里的化学|新能源企业的工程师讲锂电池怎样储存电能、为什么会鼓包、怎样安全充电。|现场展示拆解后的电池模组，居民可以带着电动车充电的问题来提问。
kjz26-taida-tushuguan|taida|2026-05-23|14:00-15:30|taida-kexue-huiketing|kepu-jiangzuo|qingshaonian,qinzi|taida-tushuguan|taifeng|kexue-huiketing||180|少年科学家讲坛：我的第一个科学发现|五位中学生讲自己的科技小课题，科技老师和科学家现场点评。|课题包括社区垃圾分类调查、校园鸟类记录和家庭用水测量。欢迎同学和家长来听。
kjz26-jingkaiqu-gongchengshi|jingkaiqu|2026-05-19|18:30-20:00|binhai-kexie|kechuang-fuwu,kepu-jiangzuo|zhuanye|jingkaiqu-qiye-fuwu|||sun-zhiqiang|58|工程师讲堂：视觉检测在生产线上的应用|讲工业相机和图像识别怎样在生产线上找出次品，适合企业技术人员。|分享三个开发区企业的应用案例，会后可与讲者交流。
kjz26-jingkaiqu-kaifang|jingkaiqu|2026-05-23|09:00-12:00|binhai-kexie|yanxue|qinzi,qingshaonian|开发区第三大街市民广场@天津市滨海新区天津经济技术开发区第三大街市民广场||bincheng-kepuhui||420|企业科普开放日：走进智能工厂|开发区五家企业设展位展示协作机器人、自动导引车和新能源电池。|上午 10 点和 11 点各有一场机器人编程演示。广场活动无需报名。
kjz26-baoshuiqu-hangkong|baoshuiqu|2026-05-17|09:00-11:30|binhai-kexie|yanxue,qingshaonian-kechuang|qingshaonian,qinzi|baoshuiqu-hangkong||||75|航空科普研学：一架飞机的诞生|参观航空科普展示厅，了解大飞机的总装流程，动手做一架橡筋动力模型飞机。|适合 10 岁以上的学生，由家长陪同。模型飞机材料由主办方提供。
kjz26-dongjiang-gangkou|dongjiang|2026-05-20|09:00-11:30|binhai-kexie|yanxue|qingshaonian|dongjiang-gangkou-kepu||||110|智慧港口研学：无人集卡怎么开|参观港口科普展示中心，了解自动化码头、无人驾驶集卡和岸桥远程操作。|本场面向中学生团体，由学校统一报名。
kjz26-gaoxinqu-duijie|gaoxinqu|2026-05-19|14:00-17:00|gaoxinqu-kechuang|kechuang-fuwu|zhuanye|gaoxinqu-luyanting||kechuang-zhongguo||96|科创中国·人工智能应用场景对接会|十家科技企业发布人工智能应用需求，高校和科研院所团队现场路演对接。|参会企业和团队请提前报名，路演每项 8 分钟。
kjz26-gaoxinqu-qingshaonian|gaoxinqu|2026-05-23|09:30-11:30|gaoxinqu-kechuang|qingshaonian-kechuang|qingshaonian|高新区华苑社区文化活动中心@天津市滨海新区滨海高新区华苑社区|gaoxin-huayuan|kechuang-zhongguo||36|科技企业工程师带你做智能小车|企业工程师带中学生组装一辆能循线行驶的智能小车。|两人一组，约两小时完成组装和调试。
kjz26-shengtaicheng-anquanguan|shengtaicheng|2026-05-16|09:00-11:30|shengtaicheng-yanxue|yanxue,yingji-anquan|qinzi,ertong|shengtaicheng-anquanguan|shengtai-hexie|||130|安全馆科技周开放日：地震来了怎么办|安全馆开放地震体验平台、烟雾逃生通道和居家用电展区，讲解员全程带领。|分三批入馆，每批一小时。6 岁以下儿童请由家长全程陪同。
kjz26-shengtaicheng-shidi|shengtaicheng|2026-05-21|09:30-11:30|shengtaicheng-yanxue|yanxue|qingshaonian|生态城中部片区公园南广场@天津市滨海新区中新天津生态城中部片区公园南广场|shengtai-hexie|||45|从盐碱荒滩到生态城：湿地修复研学|走访生态城的湿地公园，了解盐碱地改良和水体净化的做法。|研学路线约 3 公里，以步行为主。
kjz26-hangu-zhongyi|hangu|2026-05-18|09:00-10:30|qianming-zhuanjia|weisheng-jiankang|laonianren,shequ-jumin|hangu-zhongyi-yiyuan|xinkailu|qianming-zhuanjia|li-minghua|70|中医讲堂：春夏之交如何护心|主任医师讲春夏之交血压波动的原因和心脑血管病的早期信号，教几个养心穴位。|讲座后医院免费为 60 岁以上居民测量血压和血糖。
kjz26-hangu-yantian|hangu|2026-05-23|09:00-11:30|binhai-kexie|yanxue|qinzi,qingshaonian|hangu-yantian|hexi|bincheng-kepuhui||52|盐田研学：海水晒盐的五道工序|在盐田观光点看纳潮、制卤、结晶、收盐、堆坨的全过程，亲手收一小盒盐。|盐田风大，请带帽子和外套，穿平底鞋。
kjz26-zhaishang-shiyan|zhaishang|2026-05-17|14:00-15:30|binhai-kexie|kexue-shiyan|ertong,qinzi|dongshang-huodongshi|dongshang|||26|厨房里的科学：鸡蛋浮起来了|用盐水、清水和鸡蛋做浮力小实验，认识密度和浮力。|每个孩子一套实验材料，家长陪同参加。
kjz26-chadian-putao|chadian|2026-05-16|09:00-11:30|chadian-xinnong|keji-xiaxiang|nongmin|chadian-putao-shifanyuan|yangjiao|xinnong-xuetang|zhao-shuqin|46|新农学堂田间课：葡萄花前管理|农艺师在示范园讲花前摘心、疏花序和灰霉病预防，现场示范操作。|请带剪枝剪和手套，田间课约两个半小时。
kjz26-chadian-qinzi|chadian|2026-05-23|09:00-11:00|chadian-xinnong|yanxue|qinzi|chadian-putao-zhuangyuan|yangjiao|xinnong-xuetang||40|葡萄园里的小农艺师|孩子跟着果农认识葡萄的枝、叶、花序，学着给葡萄绑蔓。|每个家庭认领一株葡萄，秋天采摘季可以回来看看它结的果。
kjz26-dagang-zhiqi|dagang|2026-05-17|09:00-11:30|dagang-zhiqi|qingshaonian-kechuang|qingshaonian|dagang-chuangke-kongjian|dagang-shengli|zhiqi-mengongchang|sun-zhiqiang|32|智启梦工厂开放日：机器人足球赛|学员分组编程操控机器人踢足球，观众可以上场体验遥控。|比赛分小学组和初中组，上午 11 点颁奖。
kjz26-dagang-chengshi|dagang|2026-05-20|15:00-16:30|binhai-kexie|kepu-jiangzuo|shequ-jumin|大港街道党群服务中心报告厅@天津市滨海新区大港街道党群服务中心|dagang-shengli|||68|城市里的地下管网：下雨为什么不积水|市政工程师讲雨水管网、泵站和海绵城市，回答居民关于小区积水的问题。|讲座配有管网模型演示，适合所有关心小区环境的居民。
kjz26-gulin-jijiu|gulin|2026-05-19|14:00-16:00|binhai-kexie|weisheng-jiankang,yingji-anquan|shequ-jumin|古林街道党群服务中心培训室@天津市滨海新区古林街道党群服务中心|xinghua|||40|人人学急救：海姆立克急救法|急救培训师讲气道异物梗阻的识别和海姆立克手法，每人上模型练习。|成人、儿童和婴儿的手法不同，课上分别练习。
kjz26-gulin-fangdie|gulin|2026-05-22|09:30-11:00|binhai-kexie|zhulao-kepu,weisheng-jiankang|laonianren|兴华社区养老服务驿站@天津市滨海新区古林街道兴华社区养老服务驿站|xinghua|zhulao-kepu||34|居家防跌倒：给家里做一次安全检查|康复治疗师讲老人家中最容易跌倒的地方，教大家用一张清单检查自己家。|每人领一张居家安全检查清单，社区可为高龄独居老人免费加装扶手。
kjz26-haibin-anquan|haibin|2026-05-18|09:30-11:00|haibin-anquan|yingji-anquan|shequ-jumin|海滨街道党群服务中心多功能厅@天津市滨海新区海滨街道党群服务中心|xingfu|||50|燃气安全课：闻到煤气味第一件事做什么|燃气公司技术员讲燃气泄漏的处置、软管老化的检查和报警器的安装。|现场演示燃气报警器的工作原理，居民可预约上门安全检查。
kjz26-haibin-ganhai|haibin|2026-05-23|08:00-10:30|haibin-anquan|yanxue|qinzi|大港海滨浴场北侧滩涂@天津市滨海新区海滨街道海滨浴场北侧|xingfu||chen-haiyang|58|跟着研究员去赶海：潮间带生物观察|退潮时在滩涂上观察螃蟹、贝类和沙蚕，学习潮汐的规律。|请穿雨靴或不怕湿的鞋，带小桶和放大镜。观察后把小动物放回原处。
kjz26-xincheng-huxi|xincheng|2026-05-19|09:00-10:30|qianming-zhuanjia|weisheng-jiankang|laonianren,nongmin|新城镇便民服务中心会议室@天津市滨海新区新城镇便民服务中心|xincheng-wuzhuang|qianming-zhuanjia||55|千名专家进基层：慢阻肺早发现|呼吸科医生讲长期咳嗽、气短与慢阻肺的关系，现场做肺功能筛查。|有吸烟史、长期咳嗽的居民请优先参加筛查。
kjz26-yangjiabo-caomei|yangjiabo|2026-05-16|09:00-11:00|yangjiabo-xiaxiang|yanxue,keji-xiaxiang|qinzi,nongmin|yangjiabo-caomei-dapeng|yangjiabo-cun|keji-xiaxiang|zhao-shuqin|64|草莓大棚里的科学：熊蜂怎样授粉|在草莓科普大棚看熊蜂授粉、立体栽培和水肥一体化，了解一颗草莓的成长。|最后一批春季草莓可以采摘品尝。大棚内温度较高，请穿轻便衣服。
kjz26-yangjiabo-dongzao|yangjiabo|2026-05-21|09:00-11:30|yangjiabo-xiaxiang|keji-xiaxiang|nongmin|yangjiabo-dongzao-shifanyuan|yangjiabo-cun|keji-xiaxiang|zhao-shuqin|38|冬枣花期管理现场课|农艺师讲冬枣开甲、花期喷水和保花保果，现场示范开甲操作。|请带开甲刀和手套。
kjz26-taiping-yumi|taiping|2026-05-20|09:00-11:00|qianming-zhuanjia|keji-xiaxiang|nongmin|太平镇崔庄村党群服务中心@天津市滨海新区太平镇崔庄村党群服务中心|cuizhuang|keji-xiaxiang|zhao-shuqin|44|科技下乡：玉米播种与苗期除草|讲玉米适期播种、种肥同播和苗期除草剂的安全使用。|讲座后到村东示范田看播种机调试。
kjz26-xiaowangzhuang-shuichan|xiaowangzhuang|2026-05-18|09:00-11:00|xiaowangzhuang-huimin|keji-xiaxiang|nongmin|xiaowangzhuang-peixunshi|shajingzi|xiaowangzhuang-huimin||52|惠民兴县：南美白对虾放苗前的水质准备|讲放苗前清塘、肥水和水质检测，现场教养殖户用试剂盒测氨氮和亚硝酸盐。|每户可领一套水质检测试剂盒。
kjz26-zhongtang-xiaomai|zhongtang|2026-05-17|09:00-11:00|qianming-zhuanjia|keji-xiaxiang|nongmin|中塘镇农业服务中心会议室@天津市滨海新区中塘镇农业服务中心|liugangzhuang|keji-xiaxiang||47|小麦“一喷三防”田间课|讲小麦后期喷施杀虫剂、杀菌剂和叶面肥的配方和时机，防干热风、防病虫、防早衰。|讲座后到刘岗庄村麦田现场指导。
kjz26-xinbei-tushuguan|xinbei|2026-05-23|09:30-11:00|xinbei-liudong|kepu-jiangzuo|ertong,qinzi|新北街道图书分馆@天津市滨海新区新北街道党群服务中心二楼图书分馆|minjiangli|liudong-kejiguan||35|科普绘本故事会：小水滴去旅行|志愿者讲绘本《小水滴去旅行》，孩子们做一个“水循环”小瓶子。|适合 4 到 7 岁的孩子，家长陪同。
qkr26-binhai-kaimu|xincun|2026-09-19|09:00-10:00|binhai-kexie|kepu-zhanlan|shequ-jumin|binhai-wenhua-zhongxin||bincheng-kepuhui||1200|2026年全国科普日滨海新区启动仪式|科普日活动在文化中心东广场启动，发布全区科普日活动清单。|启动仪式后主场科普展开放，各街镇分会场同步开展活动。
qkr26-tanggu-yizhen|tanggu|2026-09-16|08:30-11:00|tanggu-jiankang|weisheng-jiankang|laonianren,shequ-jumin|塘沽街道社区卫生服务中心一楼大厅@天津市滨海新区塘沽街道社区卫生服务中心|jiefanglu|qianming-zhuanjia|liu-yufang|120|科普日健康义诊：高血压用药答疑|医生和药师现场测血压，解答降压药怎么吃、能不能停药等问题。|请带上正在服用的药品或药盒，便于药师查看。
qkr26-tanggu-aed|tanggu|2026-09-22|14:00-16:00|tanggu-jiankang|weisheng-jiankang,yingji-anquan|shequ-jumin|塘沽街道社区卫生服务中心三楼培训室@天津市滨海新区塘沽街道社区卫生服务中心|jiefanglu|||36|科普日急救课：心肺复苏与 AED|培训师讲心肺复苏的步骤和 AED 的使用，每人在模型上完成一次完整操作。|考核合格可获得社区急救志愿者培训证明。
qkr26-hangzhoudao-shouji|hangzhoudao|2026-09-17|09:30-11:00|hangzhoudao-zhulao|zhulao-kepu|laonianren|杭州道街道养老服务中心二楼教室@天津市滨海新区杭州道街道养老服务中心|yingbin|zhulao-kepu||40|银龄课堂：手机里的“健康码”和电子医保|教老年人在手机上激活电子医保凭证、出示就医码。|请带上智能手机和身份证，志愿者一对一辅导。
qkr26-hangzhoudao-yinshi|hangzhoudao|2026-09-24|14:30-16:00|hangzhoudao-zhulao|zhulao-kepu,weisheng-jiankang|laonianren|杭州道街道养老服务中心多功能厅@天津市滨海新区杭州道街道养老服务中心一楼|yingbin|zhulao-kepu||58|网上的养生谣言怎么辨|用十个常见的“养生说法”做小测验，医生逐条讲解哪些是谣言。|答对八题以上的居民可领取一本健康科普手册。
qkr26-xinhe-yaoxiang|xinhe|2026-09-18|09:30-11:00|binhai-kexie|weisheng-jiankang|laonianren,shequ-jumin|hebinyuan-dangqun|hebinyuan||liu-yufang|44|药师进社区：秋季常用药怎么存|药师讲药品的保存温度、开封后的有效期和儿童用药安全。|居民可以带着家里的药品来咨询。
qkr26-xinhe-duifei|xinhe|2026-09-20|14:00-15:30|binhai-kexie|kexue-shiyan|qinzi|河滨园社区花园堆肥角@天津市滨海新区新河街道河滨园社区中心花园|hebinyuan|bincheng-kepuhui||30|落叶变肥料：秋季堆肥工作坊|学习把落叶和厨余垃圾做成堆肥，认识分解者的作用。|每个家庭领一个小堆肥桶，一个月后可以回来交流堆肥成果。
qkr26-dagu-shequ|dagu|2026-09-19|09:00-11:30|binhai-kexie|kepu-zhanlan,yingji-anquan|shequ-jumin,qinzi|海河湾社区广场@天津市滨海新区大沽街道海河湾社区广场|haihewan|bincheng-kepuhui||260|科普日社区集市：安全、健康、节能|社区广场设十个科普摊位：防诈骗、测血压、垃圾分类、节能家电、儿童安全座椅等。|集齐五个摊位印章可以兑换一份科普小礼品。
qkr26-xinbei-liudong|xinbei|2026-09-20||xinbei-liudong|kepu-zhanlan|qinzi,ertong,shequ-jumin|新北街道岷江里社区综合服务中心@天津市滨海新区新北街道岷江里社区综合服务中心一楼|minjiangli|liudong-kejiguan||980|流动科技馆科普日特展：力与运动|流动科技馆带来 30 件力学互动展品，全天开放。|开放时间 9:00–16:00，每个整点有一场讲解。
qkr26-beitang-niaolei|beitang|2026-09-19|08:30-10:30|binhai-kexie|yanxue|qinzi,qingshaonian|beitang-shidi-zhandao|beitang-guzhen|bincheng-kepuhui|chen-haiyang|48|秋季观鸟：北塘湿地的过境候鸟|研究人员带大家辨认秋季过境的鸻鹬类和雁鸭类水鸟。|请穿深色衣服，不要大声喧哗；望远镜由主办方提供。
qkr26-beitang-yugang|beitang|2026-09-23|14:30-16:00|binhai-kexie|kepu-jiangzuo|shequ-jumin|北塘街道党群服务中心报告厅@天津市滨海新区北塘街道党群服务中心|beitang-guzhen|||66|开海之后：秋季海鲜怎么挑、怎么吃|讲渤海湾秋季海鲜的品种和产季，教居民辨别新鲜度和过敏风险。|现场展示梭子蟹、皮皮虾等实物标本。
qkr26-hujiayuan-tongxuehui|hujiayuan|2026-09-19|14:00-16:00|hujiayuan-tongxuehui|kexue-shiyan|qinzi,ertong|hujiayuan-wenhuazhan|yangjiayuan|zhoumo-kexue-tongxuehui||30|周末科学同学会科普日特别场：纸桥承重大赛|用 20 张 A4 纸搭一座桥，比一比哪座桥能承载更多的硬币。|每个家庭一套材料，比赛结束后老师讲解三角形和拱形结构。
qkr26-xingang-qixiang|xingang|2026-09-20|09:00-11:30|binhai-kexie|yanxue|qinzi,qingshaonian|xingang-qixiang|xingang-yijian|bincheng-kepuhui||62|气象站开放日：秋天的第一场冷空气|气象员讲冷空气怎样形成、怎样预报，带大家放一个小探空气球。|风大时探空气球改为室内演示。
qkr26-xincun-xiaoshouzhang|xincun|2026-09-21|15:30-17:00|binhai-kexie|kexue-shiyan|ertong,qinzi|fuzhoudao-guangchang|fuzhoudao|||40|放学后的科学课：会跳舞的盐粒|用音箱和保鲜膜让盐粒“跳舞”，认识声音的振动。|适合 6 到 10 岁的孩子，放学后直接来社区广场。
qkr26-taida-huiketing|taida|2026-09-19|09:30-11:00|taida-kexue-huiketing|kepu-jiangzuo|shequ-jumin,qinzi|taida-kexue-huiketing|taifeng|kexue-huiketing||70|科学会客厅科普日特别场：从北斗到手机导航|航天领域的科研人员讲北斗卫星导航系统怎样给手机定位。|现场可以用手机查看头顶上的北斗卫星。
qkr26-jingkaiqu-gongchengshi|jingkaiqu|2026-09-22|18:30-20:00|binhai-kexie|kechuang-fuwu|zhuanye|jingkaiqu-qiye-fuwu|||sun-zhiqiang|62|工程师讲堂：大模型在制造企业的落地|讲大语言模型在设备维护、质量追溯和文档检索中的实际应用和局限。|适合企业技术和管理人员，会后交流。
qkr26-jingkaiqu-jishi|jingkaiqu|2026-09-20|09:00-12:00|binhai-kexie|kepu-zhanlan|shequ-jumin,qinzi|开发区第三大街市民广场@天津市滨海新区天津经济技术开发区第三大街市民广场||bincheng-kepuhui||520|科普日企业科普集市|开发区十多家企业带来新能源汽车、生物医药和智能制造的科普展品。|集市同时设有职业体验区，中学生可以体验质检员、工艺工程师的一天。
qkr26-baoshuiqu-hangkong|baoshuiqu|2026-09-19|09:00-11:30|binhai-kexie|yanxue|qingshaonian,qinzi|baoshuiqu-hangkong||||68|航空科普研学：飞机的“黑匣子”|参观航空科普展示厅，了解飞行记录仪的作用，做一个纸飞机飞行实验。|适合 10 岁以上的学生，由家长陪同。
qkr26-dongjiang-gangkou|dongjiang|2026-09-23|09:00-11:30|binhai-kexie|yanxue|qingshaonian|dongjiang-gangkou-kepu||||95|智慧港口研学：集装箱的旅行|跟着一只集装箱的路线，了解装卸、堆场、海关查验和远洋运输。|本场面向中学生团体，由学校统一报名。
qkr26-gaoxinqu-shalong|gaoxinqu|2026-09-17|19:00-20:30|gaoxinqu-kechuang|kechuang-fuwu|zhuanye|滨海高新区科技服务中心三楼咖啡厅@天津市滨海新区滨海高新区科技服务中心三楼|gaoxin-huayuan|kechuang-zhongguo||42|科创中国青年科技人才沙龙：科研成果怎样变成产品|三位青年创业者讲从论文到样机、从样机到订单的经历。|沙龙形式，欢迎青年科技工作者参加。
qkr26-gaoxinqu-duijie|gaoxinqu|2026-09-24|14:00-17:00|gaoxinqu-kechuang|kechuang-fuwu|zhuanye|gaoxinqu-luyanting||kechuang-zhongguo||88|科创中国·海洋装备技术对接会|海洋装备企业发布技术需求，科研团队现场路演。|参会企业和团队请提前报名。
qkr26-shengtaicheng-anquanguan|shengtaicheng|2026-09-19|09:00-11:30|shengtaicheng-yanxue|yanxue,yingji-anquan|qinzi,ertong|shengtaicheng-anquanguan|shengtai-hexie|||140|安全馆科普日开放：居家用电小卫士|安全馆居家用电展区开放，孩子们找一找“家里的用电隐患”。|分三批入馆，每批一小时。
qkr26-shengtaicheng-xingkong|shengtaicheng|2026-09-25|19:30-21:00|shengtaicheng-yanxue|kexue-shiyan|qinzi,qingshaonian|生态城南部片区观星草坪@天津市滨海新区中新天津生态城南部片区公园观星草坪|shengtai-hexie|||110|秋夜观星：土星环和仙女座星系|天文志愿者架设望远镜观测土星环，讲解秋季星空。|遇阴雨天取消，取消通知提前一天发布。
qkr26-hangu-zhongyi|hangu|2026-09-21|09:00-10:30|qianming-zhuanjia|weisheng-jiankang|laonianren|hangu-zhongyi-yiyuan|xinkailu|qianming-zhuanjia|li-minghua|76|中医讲堂：秋季养肺与慢病调养|主任医师讲秋燥与呼吸道、心脑血管慢病的关系，推荐几个日常食疗方法。|讲座后免费测血压和血糖。
qkr26-hangu-yanchang|hangu|2026-09-25|09:00-11:30|binhai-kexie|yanxue|qinzi,qingshaonian|hangu-yantian|hexi|bincheng-kepuhui||50|盐田研学：秋晒季的结晶池|在盐田观察秋季晒盐，了解卤水浓度与结晶的关系。|盐田风大，请带帽子和外套。
qkr26-zhaishang-shanshi|zhaishang|2026-09-18|14:30-16:00|qianming-zhuanjia|weisheng-jiankang|laonianren|dongshang-huodongshi|dongshang|qianming-zhuanjia|zhou-lan|46|老年人秋季合理膳食|营养医生讲老年人每天吃多少蛋白质、怎样少盐少油。|现场发放控盐勺和控油壶。
qkr26-zhaishang-shiyan|zhaishang|2026-09-20|14:00-15:30|binhai-kexie|kexue-shiyan|ertong,qinzi|东尚社区青少年活动室@天津市滨海新区寨上街道东尚社区|dongshang|||24|科学小实验：吸管里的大气压|用吸管、水杯和纸片做大气压实验，认识看不见的空气力量。|每个孩子一套材料。
qkr26-chadian-caizhai|chadian|2026-09-19|09:00-11:30|chadian-xinnong|yanxue|qinzi|chadian-putao-zhuangyuan|yangjiao|xinnong-xuetang||72|葡萄采摘季亲子研学：测一测葡萄有多甜|用糖度计测量不同葡萄的糖度，了解光照和成熟度对甜度的影响。|每个家庭可以采摘 1 公斤葡萄带回家。
qkr26-chadian-xinnong|chadian|2026-09-24|14:00-16:00|chadian-xinnong|keji-xiaxiang|nongmin|茶淀街道农业服务中心培训教室@天津市滨海新区茶淀街道农业服务中心|chadian-shenbu|xinnong-xuetang|zhao-shuqin|40|新农学堂：葡萄采后管理与秋施基肥|讲采后修剪、秋施基肥的时间和用量，以及霜霉病的防治。|学员可领取秋季管理技术明白纸。
qkr26-dagang-zhiqi|dagang|2026-09-20|09:00-11:30|dagang-zhiqi|qingshaonian-kechuang|qingshaonian|dagang-chuangke-kongjian|dagang-shengli|zhiqi-mengongchang|sun-zhiqiang|34|智启梦工厂科普日：图形化编程小游戏|用图形化编程做一个“接水果”小游戏，了解循环和条件判断。|适合 9 到 13 岁的学生，自带平板或笔记本电脑者优先。
qkr26-gulin-jishi|gulin|2026-09-19|09:00-11:30|binhai-kexie|kepu-zhanlan|shequ-jumin|兴华社区文化广场@天津市滨海新区古林街道兴华社区文化广场|xinghua|bincheng-kepuhui||180|科普日便民科普集市|义诊、家电维修、防诈骗咨询、垃圾分类和儿童科学游戏十个摊位。|集市在社区广场，雨天改到社区活动中心一楼。
qkr26-haibin-xiaofang|haibin|2026-09-22|09:30-11:00|haibin-anquan|yingji-anquan|shequ-jumin|幸福社区广场@天津市滨海新区海滨街道幸福社区广场|xingfu|||90|消防安全进社区：电动自行车充电安全|消防员讲电动自行车电池起火的原因，演示室外集中充电设施的正确用法。|现场演示灭火器和灭火毯的使用。
qkr26-xincheng-anquan|xincheng|2026-09-18|09:30-11:00|binhai-kexie|yingji-anquan|nongmin,shequ-jumin|新城镇文体活动中心@天津市滨海新区新城镇文体活动中心|xincheng-wuzhuang|||60|秋收安全课：农机和用电安全|讲秋收季农机操作、田间用电和秸秆防火的注意事项。|讲座后发放农机安全操作手册。
qkr26-yangjiabo-dongzao|yangjiabo|2026-09-16|09:00-11:30|yangjiabo-xiaxiang|keji-xiaxiang|nongmin|yangjiabo-dongzao-shifanyuan|yangjiabo-cun|keji-xiaxiang|zhao-shuqin|42|冬枣成熟期管理与裂果预防|农艺师讲冬枣成熟期控水、补钙和裂果预防，现场分级采摘示范。|请带采摘筐和手套。
qkr26-yangjiabo-caomei|yangjiabo|2026-09-25|09:00-11:00|yangjiabo-xiaxiang|keji-xiaxiang|nongmin|yangjiabo-caomei-dapeng|yangjiabo-cun|keji-xiaxiang|zhao-shuqin|30|草莓定植培训：秋季定植与缓苗管理|在草莓科普大棚讲秋季定植的株距、深度和缓苗期的水分管理。|现场示范定植，种植户可以带自己的种苗来咨询。
qkr26-taiping-yumi|taiping|2026-09-23|09:00-11:00|qianming-zhuanjia|keji-xiaxiang|nongmin|太平镇崔庄村玉米示范田@天津市滨海新区太平镇崔庄村东示范田|cuizhuang|keji-xiaxiang|zhao-shuqin|38|玉米适时晚收与机收减损|讲玉米适时晚收增产的道理和机收作业减少落穗的做法。|田间课在示范田进行，请穿长袖衣服。
qkr26-xiaowangzhuang-dianshang|xiaowangzhuang|2026-09-17|09:00-11:30|xiaowangzhuang-huimin|keji-xiaxiang|nongmin|xiaowangzhuang-zhibojian|shajingzi|xiaowangzhuang-huimin||26|惠民兴县：秋季水产品直播带货实训|电商讲师带学员练习直播开场、产品介绍和订单处理。|学员请带手机，提前下载好直播软件。
qkr26-xiaowangzhuang-shuichan|xiaowangzhuang|2026-09-24|09:00-11:00|xiaowangzhuang-huimin|keji-xiaxiang|nongmin|xiaowangzhuang-peixunshi|shajingzi|xiaowangzhuang-huimin||48|惠民兴县：对虾秋季收获与池塘清整|讲对虾分批收获的时机、捕捞方法和收获后的池塘清整。|每户可领一本秋冬季水产养殖技术手册。
qkr26-zhongtang-qiubo|zhongtang|2026-09-22|09:00-11:00|qianming-zhuanjia|keji-xiaxiang|nongmin|中塘镇农业服务中心会议室@天津市滨海新区中塘镇农业服务中心|liugangzhuang|keji-xiaxiang||50|科技下乡：冬小麦播前准备与良种选择|讲本地冬小麦主推品种、种子包衣和整地要求。|讲座后发放良种推介表。
"""


def _row(line: str) -> dict:
    keys = ("slug", "street", "day", "time", "team", "categories", "audiences", "venue", "community",
            "programmes", "speakers", "attendance", "title", "summary", "body")
    return dict(zip(keys, line.split("|"), strict=True))


def _when(row: dict) -> list[str]:
    if not row["time"]:
        return [f"start: {row['day']}"]
    begin, end = row["time"].split("-")
    return [f"start: {row['day']} {begin}", f'end: "{end}"']


def _venue(text: str) -> list[str]:
    if "@" not in text:
        return [f"venue: {text}"]
    name, address = text.split("@")
    return ["venue:", f"  name: {name}", f"  address: {address}"]


def _ids(key: str, text: str) -> list[str]:
    return [f"{key}: [{text.replace(',', ', ')}]"] if text else []


def event_file(row: dict) -> str:
    front = [
        f"title: {row['title']}", *_when(row), f"street: {row['street']}",
        *([f"community: {row['community']}"] if row["community"] else []), f"team: {row['team']}",
        *_ids("categories", row["categories"]), *_ids("audiences", row["audiences"]),
        *_ids("programmes", row["programmes"]), f"campaigns: [{CAMPAIGNS[row['day'][5:7]]}]",
        *_ids("speakers", row["speakers"]), *_venue(row["venue"]),
        f"summary: {row['summary']}", f"contact: {CONTACTS[row['team']]}",
        f"attendance: {row['attendance']}",
    ]
    body = "\n\n".join(part.strip() for part in row["body"].split(" / "))
    return "---\n" + "\n".join(front) + "\n---\n" + body + "\n"


def main() -> None:
    for line in filter(None, (raw.strip() for raw in ROWS.splitlines())):
        row = _row(line)
        path = EVENTS / row["street"] / row["day"][:4] / f"{row['slug']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(event_file(row), "utf-8")


if __name__ == "__main__":
    main()
