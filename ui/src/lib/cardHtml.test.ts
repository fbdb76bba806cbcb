import { describe, expect, it } from 'vitest';
import { mediaName, rewriteMediaImages, type ImageRoot } from './cardHtml';

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
