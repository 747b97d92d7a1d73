"""Invented bodies of 廊坊市 used by the samples (no real document is reproduced)."""

from __future__ import annotations

from eval.samplegen.annual_content import UnitProfile


def _county(name: str, short: str, host: str, address: str, postcode: str, phone: str, focus: str) -> UnitProfile:
    return UnitProfile(
        unit=f"{name}人民政府", is_government=True, office=f"{name}人民政府办公室", address=address,
        postcode=postcode, phone=phone, website=f"www.{host}.gov.cn", portal=f"{name}人民政府门户网站",
        wechat=f"{short}发布", focus=focus,
        assessment=f"将政务公开工作纳入全{name[-1]}高质量发展综合考核，分值占比不低于4%",
    )


XIANGHE = _county("香河县", "香河", "xianghe", "香河县新华大街166号", "065400", "0316-8312345",
                  "优化营商环境、家具产业转型升级、社会救助")
DACHENG = _county("大城县", "大城", "dacheng", "大城县平舒西大街88号", "065900", "0316-5521234",
                  "红木家具产业发展、乡村振兴、义务教育")
WENAN = _county("文安县", "文安", "wenan", "文安县新华路56号", "065800", "0316-5211234",
                "城镇老旧小区改造、人造板产业治理、稳就业保就业")
GUAN = _county("固安县", "固安", "guan", "固安县新源街12号", "065500", "0316-6121234",
               "重大建设项目、农业社会化服务、医疗保障")
YONGQING = _county("永清县", "永清", "yongqing", "永清县益昌路8号", "065600", "0316-6621234",
                   "财政预决算、减税降费、征地信息")
SANHE = _county("三河市", "三河", "sanhe", "三河市迎宾路99号", "065200", "0316-3221234",
                "项目投资、保障性租赁住房、公共服务")
WENAN_JIAOTI = UnitProfile(
    unit="文安县教育和体育局", is_government=False, office="文安县教育和体育局办公室",
    address="文安县兴隆街18号", postcode="065800", phone="0316-5231234", website="www.wenan.gov.cn",
    portal="文安县人民政府门户网站", wechat="文安教体", focus="义务教育招生入学、学生资助、校外培训治理",
    assessment="将政务公开工作纳入局机关科室和局属学校年度目标考核",
)
DACHANG = _county("大厂回族自治县", "大厂", "dachang", "大厂回族自治县大安街2号", "065300", "0316-8882100",
                  "影视产业发展、征地拆迁、民族团结进步")
