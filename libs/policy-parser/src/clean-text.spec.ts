import fc from 'fast-check';
import { cleanText } from './clean-text';

describe('cleanText', () => {
  it('removes page markers of every printed style', () => {
    const raw = '（一）第一段没有结束，\n\n— 4 —\n\n继续第一段。\n-3 一\n（二）第二段。\n- 12 -\n第 3 页\n（三）第三段。';
    expect(cleanText(raw)).toBe('（一）第一段没有结束，继续第一段。\n（二）第二段。\n（三）第三段。');
  });

  it('joins a responsibility clause broken across blank lines and a page marker', () => {
    const raw = '引导金融机构加强支持。（省地\n\n— 5 —\n\n\n方金融监管局、中国人民银行太原中心支行分别牵头负责）';
    expect(cleanText(raw)).toBe('引导金融机构加强支持。（省地方金融监管局、中国人民银行太原中心支行分别牵头负责）');
  });

  it('drops stray spaces in CJK text and around digits, keeps them in Latin text and before an e-mail', () => {
    expect(cleanText('力争到 2025 年重点帮扶县由现在的 5家增长到 8家以上。')).toBe('力争到2025年重点帮扶县由现在的5家增长到8家以上。');
    expect(cleanText('晋乡振发〔2022〕11 号')).toBe('晋乡振发〔2022〕11号');
    expect(cleanText('报送邮箱 sxczxshz@163.com。')).toBe('报送邮箱 sxczxshz@163.com。');
    expect(cleanText('Open data policy in English stays as written.')).toBe('Open data policy in English stays as written.');
  });

  it('normalises width variants', () => {
    expect(cleanText('(四) 宣传推动。良种普及率达到 96％以上，２０２５年')).toBe('（四）宣传推动。良种普及率达到96%以上，2025年');
    expect(cleanText('加强农村留守儿童关爱服务,在基层开展工作;联系方式:123')).toBe('加强农村留守儿童关爱服务，在基层开展工作；联系方式：123');
  });

  it('keeps headings, titles and table rows on their own lines', () => {
    const raw = '关于支持乡村振兴重点帮扶县加快发展的\n\n若干政策措施\n\n一、加大资金项目支持力度\n\n市名\t重点帮扶县\t备注\n填表人：';
    expect(cleanText(raw)).toBe('关于支持乡村振兴重点帮扶县加快发展的若干政策措施\n一、加大资金项目支持力度\n市名\t重点帮扶县\t备注\n填表人：');
  });

  it('turns runs of spaces between three or more cells into tab-separated cells', () => {
    expect(cleanText('序号   任务   牵头单位   完成时限')).toBe('序号\t任务\t牵头单位\t完成时限');
  });

  it('joins hard-wrapped lines of a PDF and keeps short last lines as paragraph ends', () => {
    const line = '这是一个被排版宽度截断的很长的句子的一部分内容，'; // 25 wide
    const raw = [line, line, line, line, '最后一行结束。', '（二）新的条目开始，', line, '结束。'].join('\n\n');
    const out = cleanText(raw).split('\n');
    expect(out).toHaveLength(2);
    expect(out[1].startsWith('（二）')).toBe(true);
  });

  it('handles CRLF, BOM, zero-width and control characters', () => {
    expect(cleanText('\ufeff（一）第一条。\r\n（二）第\u200b二\u0007条。')).toBe('（一）第一条。\n（二）第二条。');
  });

  it('is idempotent on arbitrary text (property)', () => {
    const piece = fc.constantFrom(
      '（一）', '一、', '1.', '(二)', '，', '。', '；', '：', '、', '（', '）', '《', '》', '“', '”', '\n', '\n\n', ' ', '  ', '\t', '|',
      '— 4 —', '-3 一', '省财政厅', '牵头负责', '2025 年', '96％', 'abc', 'x@y.com', '的', '文件', '的通知', '2021年8月11日',
      '关于', '各市', '县（区）', '抄送：', '附件', '序号', '１２', ',', ';', ':', '\r\n', '\u3000', '发展改革委', '12',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 60 }), (parts) => {
        const once = cleanText(parts.join(''));
        expect(cleanText(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent on the reference documents', () => {
    for (const s of [SAMPLE]) {
      const once = cleanText(s);
      expect(cleanText(once)).toBe(once);
    }
  });
});

const SAMPLE = ` 晋乡振发〔2022〕11 号

关于印发《关于支持乡村振兴重点帮扶县

加快发展的若干政策措施》的通知

各市、县（区）人民政府：

（一）加大财政资金支持力度。省级财政衔接推进乡村振

兴补助资金对重点帮扶县予以倾斜支持。（省财政厅牵头负责）`;
