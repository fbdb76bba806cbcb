import { describe, expect, it } from 'vitest';
import { finishLinks, mediaName, rewriteMediaImages, type ImageRoot } from './cardHtml';

function fakeRoot(sources: string[]) {
  const images = sources.map((src) => {
    const attrs: Record<string, string> = { src };
    return {
      getAttribute: (name: 'src') => attrs[name] ?? null,
      setAttribute: (name: 'src', value: string) => {
        attrs[name] = value;
      },
    };
  });
  const root: ImageRoot = { querySelectorAll: () => images };
  return { root, sources: () => images.map((img) => img.getAttribute('src')) };
}

const tauriMedia = (name: string) => `media://localhost/${encodeURIComponent(name)}`;

describe('mediaName', () => {
  it('reads the core’s media references', () => {
    expect(mediaName('media/3f2a9c.png')).toBe('3f2a9c.png');
    expect(mediaName('/media/AB12.jpeg')).toBe('AB12.jpeg');
  });

  it('leaves everything else alone', () => {
    for (const src of [
      null,
      '',
      'media/',
      'media/a/b.png',
      'media/../c.sqlite3',
      'media/..',
      'media/.hidden',
      'media/a b.png',
      'media/a.png?x=1',
      './media/a.png',
      '//media/a.png',
      'https://example.com/media/a.png',
      'data:image/png;base64,AAAA',
      'xmedia/a.png',
      'media/a.png ',
    ]) {
      expect(mediaName(src), String(src)).toBeNull();
    }
  });
});

describe('rewriteMediaImages', () => {
  it('points media images at the desktop protocol and leaves the rest', () => {
    const { root, sources } = fakeRoot(['media/ab.png', '/media/cd.svg', 'https://example.com/x.png', 'media/../etc']);
    rewriteMediaImages(root, tauriMedia);
    expect(sources()).toEqual(['media://localhost/ab.png', 'media://localhost/cd.svg', 'https://example.com/x.png', 'media/../etc']);
  });

  it('changes nothing where the transport serves media itself (the browser)', () => {
    const { root, sources } = fakeRoot(['media/ab.png', '/media/cd.svg']);
    rewriteMediaImages(root, () => null);
    expect(sources()).toEqual(['media/ab.png', '/media/cd.svg']);
  });

  it('is safe to run twice', () => {
    const { root, sources } = fakeRoot(['media/ab.png']);
    rewriteMediaImages(root, tauriMedia);
    rewriteMediaImages(root, tauriMedia);
    expect(sources()).toEqual(['media://localhost/ab.png']);
  });
});

/** A stand-in for an `<a>` element with just what `finishLinks` touches. */
function fakeLink(href: string, className = '') {
  const attrs: Record<string, string> = { href };
  const classes = new Set<string>(className ? className.split(' ') : []);
  const listeners: ((event: { preventDefault(): void }) => void)[] = [];
  return {
    title: '',
    target: '',
    rel: '',
    getAttribute: (name: string) => attrs[name] ?? null,
    removeAttribute: (name: string) => delete attrs[name],
    classList: { add: (name: string) => classes.add(name), contains: (name: string) => classes.has(name) },
    addEventListener: (_type: string, listener: (event: { preventDefault(): void }) => void) => listeners.push(listener),
    click() {
      let prevented = false;
      for (const listener of listeners) listener({ preventDefault: () => (prevented = true) });
      return prevented;
    },
    classes,
  };
}

describe('finishLinks', () => {
  const rootOf = (links: ReturnType<typeof fakeLink>[]) => ({ querySelectorAll: () => links }) as unknown as ParentNode;

  it('makes links to local files inert and says where they point', () => {
    const link = fakeLink('other-note.md#Heading');
    finishLinks(rootOf([link]), () => null);
    expect(link.getAttribute('href')).toBeNull();
    expect(link.classes.has('local-link')).toBe(true);
    expect(link.title).toContain('other-note.md#Heading');
  });

  it('opens web links in a new tab in the browser', () => {
    const link = fakeLink('https://example.org/page');
    finishLinks(rootOf([link]), () => null);
    expect(link.target).toBe('_blank');
    expect(link.rel).toBe('noopener noreferrer');
    expect(link.click()).toBe(false);
  });

  it('hands web and mail links to the system on the desktop', () => {
    const opened: string[] = [];
    const web = fakeLink('https://example.org/');
    const mail = fakeLink('mailto:someone@example.org');
    finishLinks(rootOf([web, mail]), (url) => {
      opened.push(url);
      return Promise.resolve();
    });
    expect(web.click()).toBe(true);
    expect(mail.click()).toBe(true);
    expect(opened).toEqual(['https://example.org/', 'mailto:someone@example.org']);
  });

  it('opens a PDF from the note with the system viewer on the desktop', () => {
    const opened: string[] = [];
    const pdf = fakeLink('media/0a1b2c.pdf#page=3', 'media-file pdf');
    finishLinks(
      rootOf([pdf]),
      () => null,
      (name) => {
        opened.push(name);
        return Promise.resolve();
      },
    );
    expect(pdf.click()).toBe(true);
    expect(opened).toEqual(['0a1b2c.pdf']);
    expect(pdf.getAttribute('href')).toBe('media/0a1b2c.pdf#page=3');
  });

  it('keeps a PDF link as a download in the browser, and refuses other names', () => {
    const pdf = fakeLink('media/0a1b2c.pdf', 'media-file pdf');
    const sneaky = fakeLink('media/../collection.sqlite3', 'media-file pdf');
    finishLinks(rootOf([pdf, sneaky]), () => null);
    expect(pdf.click()).toBe(false);
    expect(pdf.target).toBe('_blank');
    expect(sneaky.getAttribute('href')).toBeNull();
  });

  it('leaves links inside the card alone', () => {
    const link = fakeLink('#fn-1');
    finishLinks(rootOf([link]), () => null);
    expect(link.getAttribute('href')).toBe('#fn-1');
    expect(link.target).toBe('');
  });
});
